// Shared by the npm tests: paths, the server binary under test, and the Cargo version.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cargoVersion } from '../build.mjs';

export const NPM = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO = path.dirname(NPM);
export const VERSION = cargoVersion(REPO);

/** The binary to package: AMPLIFY_LSP_BIN, else the debug build CI makes anyway. */
export function serverBinary() {
  const bin = path.resolve(REPO, process.env.AMPLIFY_LSP_BIN || 'target/debug/amplify-lsp');
  if (!fs.existsSync(bin)) throw new Error(`no server binary at ${bin}: cargo build -p amplify-lsp, or set AMPLIFY_LSP_BIN`);
  return bin;
}

/** (file relative to the project, line, code) for every `// expect: a, b` comment under `dir`. */
export function expectedFindings(dir, rel = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...expectedFindings(dir, r));
    } else if (entry.name.endsWith('.ts')) {
      fs.readFileSync(path.join(dir, r), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const at = line.indexOf('// expect:');
          if (at < 0) return;
          for (const code of line.slice(at + '// expect:'.length).split(','))
            if (code.trim()) out.push(`${r}:${i + 1} ${code.trim()}`);
        });
    }
  }
  return out.sort();
}
