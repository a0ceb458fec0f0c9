// 1. The Problems panel holds exactly what `amplify-lsp check --format json` reports for
//    examples/mistakes (code + file + line), hints aside (VS Code shows those in the editor only). The server answers pull diagnostics for open
//    documents only (no workspace diagnostics), so VS Code shows a file's problems once it is
//    open: the test opens every amplify/**/*.ts file, as a user would to see them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import * as L from '../lib.mjs';

const key = (p) => `${p.file}:${p.line} ${p.code}`;

test('Problems panel = amplify-lsp check on examples/mistakes', { timeout: 240_000 }, async (t) => {
  // TypeScript's own errors (no node_modules: "Cannot find module '@aws-amplify/backend'") would
  // share the panel; leave them out so the panel holds only what a check run reports.
  const dir = L.fixture('mistakes', { 'typescript.validate.enable': false });
  // VS Code lists no hints in the Problems panel (it marks them in the editor only).
  const expected = L.checkFindings(dir)
    .filter((d) => d.severity !== 'hint')
    .map((d) => ({ file: path.relative(dir, path.resolve(d.file)), code: d.code, line: d.line }))
    .map(key)
    .sort();
  assert.ok(expected.length >= 10, `check found only ${expected.length} findings`);
  L.log(`check: ${expected.length} findings`);

  await L.withWorkbench(t, dir, async ({ page }) => {
    await page.keyboard.press('Control+Shift+M'); // View: Problems
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    const before = await L.problems(page);
    L.log(`Problems before any file is open: ${before.length}`);
    for (const f of L.amplifyFiles(dir)) await L.openFile(page, f);
    await L.command(page, 'View: Toggle Maximized Panel');
    let shown = [];
    await L.waitFor(
      async () => {
        shown = (await L.problems(page)).map(key).sort();
        return JSON.stringify(shown) === JSON.stringify(expected);
      },
      'the Problems panel to match amplify-lsp check',
      30_000,
    ).catch(() => {});
    assert.deepEqual(shown, expected, 'Problems panel (file:line code) differs from `amplify-lsp check`');
  });
});
