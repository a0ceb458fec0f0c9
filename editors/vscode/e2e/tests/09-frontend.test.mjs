// 9. Frontend files: in a workspace folder that holds an Amplify project (app/) next to a plain
//    one (plain/), the project's src/App.tsx and src/main.js reach the server, plain/src/index.ts
//    (which imports aws-amplify too) does not. This is the real VS Code matching the extension's
//    document selector (absolute glob patterns rooted at app/).
//    Evidence: with amplifyLsp.logLevel debug the server logs every document it checks; the lines
//    are read from the output channel's log file (all of them, not just what the panel shows).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as L from '../lib.mjs';

/** The text of the "Amplify LSP" output channel's log files (run.sh: <work>/user-data/logs). */
function channelLog() {
  const logs = path.join(path.dirname(L.WORK), 'user-data', 'logs');
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.includes('Amplify LSP') && !e.name.includes('Trace') && e.name.endsWith('.log')) found.push(p);
    }
  };
  if (fs.existsSync(logs)) walk(logs);
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

test('frontend files of the Amplify project are sent, a plain folder next to it is not', { timeout: 150_000 }, async (t) => {
  const parent = fs.mkdtempSync(path.join(L.WORK, 'frontend-'));
  const app = path.join(parent, 'app');
  fs.cpSync(path.join(L.REPO, 'examples', 'starter'), app, { recursive: true });
  write(path.join(app, 'src', 'App.tsx'), "import { generateClient } from 'aws-amplify/data';\nexport const client = generateClient();\n");
  write(path.join(app, 'src', 'main.js'), "import { Amplify } from 'aws-amplify';\nAmplify.configure({});\n");
  write(path.join(parent, 'plain', 'package.json'), '{}\n');
  write(path.join(parent, 'plain', 'src', 'index.ts'), "import { Amplify } from 'aws-amplify';\nAmplify.configure({});\n");
  write(path.join(parent, '.vscode', 'settings.json'), JSON.stringify({ 'amplifyLsp.logLevel': 'debug' }, null, 2));

  await L.withWorkbench(t, parent, async ({ page }) => {
    // The plain file first: when the later files' lines are in the log, its own would be too.
    await L.openFile(page, 'plain/src/index.ts');
    await L.openFile(page, 'app/src/App.tsx');
    await L.openFile(page, 'app/src/main.js');
    const checked = (text, rel) => new RegExp(`checked file://\\S*/${rel.replace(/[./]/g, '\\$&')} `).test(text);
    const text = await L.waitFor(
      async () => {
        const s = channelLog();
        return checked(s, 'app/src/App.tsx') && checked(s, 'app/src/main.js') ? s : false;
      },
      'the server checking app/src/App.tsx and app/src/main.js',
      60_000,
    ).catch(() => channelLog());
    L.log(`server lines about documents:\n${text.split('\n').filter((l) => /checked file:/.test(l)).join('\n')}`);
    assert.ok(checked(text, 'app/src/App.tsx'), 'app/src/App.tsx (typescriptreact) never reached the server');
    assert.ok(checked(text, 'app/src/main.js'), 'app/src/main.js (javascript) never reached the server');
    assert.ok(!/plain\/src\/index\.ts/.test(text), 'plain/src/index.ts (no amplify/backend.ts above it) reached the server');
  });
});
