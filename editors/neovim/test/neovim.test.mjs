// Runs the headless Neovim tests and turns their reports into node:test results, so `node --test`
// shows the Neovim checks next to the VS Code and Helix ones:
//   run.lua     every version (0.7+): lsp/amplify_lsp.lua as data, require('amplify_lsp').setup(),
//               the 0.7 example config (K, CTRL-X CTRL-O, gra), lsp.log
//   enable.lua  0.11+: the 0.11 example config (vim.lsp.enable), cross-file refresh, completion,
//               :edit!, hover, code action, lsp.log
//
// Which Neovim: AMPLIFY_LSP_NVIM, a colon-separated list of nvim binaries (editors/test-all.sh sets
// it to Debian's 0.7.2 and the 0.11.4 it installs); default `nvim` on PATH (or NVIM_BIN).
// Standalone: node --test editors/neovim/test/neovim.test.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const nvims = (process.env.AMPLIFY_LSP_NVIM || process.env.NVIM_BIN || 'nvim').split(':').filter(Boolean);
const timeoutMs = Number(process.env.AMPLIFY_LSP_TEST_TIMEOUT_MS ?? 15_000) * 12;

function versionOf(nvim) {
  const r = spawnSync(nvim, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return { error: r.error };
  const m = /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(r.stdout ?? '');
  return m ? { text: `${m[1]}.${m[2]}.${m[3]}`, minor: Number(m[1]) * 100 + Number(m[2]) } : { error: new Error(`no version in: ${r.stdout}`) };
}

/** Runs one Lua test file in a headless nvim with a fresh state folder (so lsp.log is its own). */
function runScript(nvim, script) {
  const state = mkdtempSync(path.join(tmpdir(), 'amplify-nvim-state-'));
  const run = spawnSync(nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(here, script)}`], {
    cwd: repo,
    encoding: 'utf8',
    timeout: timeoutMs,
    // 0.7 writes lsp.log under the cache folder, 0.8+ under the state folder.
    env: { ...process.env, XDG_STATE_HOME: state, XDG_CACHE_HOME: state },
  });
  rmSync(state, { recursive: true, force: true });
  const stdout = run.stdout ?? '';
  // Each report line starts a result; indented lines continue the previous one.
  const results = [];
  for (const line of stdout.split('\n')) {
    const m = /^(ok|not ok|skip) (.*?)(?: -- (.*))?$/.exec(line);
    if (m) results.push({ status: m[1], name: m[2], detail: m[3] ?? '' });
    else if (line.startsWith('    ') && results.length > 0) results.at(-1).detail += `\n${line}`;
  }
  const info = stdout
    .split('\n')
    .filter((l) => l.startsWith('# '))
    .map((l) => l.slice(2));
  return { run, stdout, results, info };
}

for (const nvim of nvims) {
  const v = versionOf(nvim);
  if (v.error) {
    test(`neovim: could not run ${nvim}`, () => {
      assert.fail(`${v.error.message}${v.error.code === 'ENOENT' ? ' (apt-get install -y neovim, or editors/test-all.sh neovim)' : ''}`);
    });
    continue;
  }
  const scripts = ['run.lua'];
  if (v.minor >= 11) scripts.push('enable.lua');
  describe(`neovim ${v.text} (${nvim})`, () => {
    for (const script of scripts) {
      const { run, stdout, results, info } = runScript(nvim, script);
      for (const line of info) console.log(`# nvim ${v.text} ${script}: ${line}`);
      test(`${script}: headless run exits with the right status`, () => {
        const failed = results.filter((r) => r.status === 'not ok').length;
        assert.ok(results.length > 0, `no results from nvim.\nstdout:\n${stdout}\nstderr:\n${run.stderr}`);
        assert.equal(
          run.status,
          failed > 0 ? 1 : 0,
          `nvim exit status ${run.status} (signal ${run.signal}${run.error ? `, ${run.error.message}` : ''})\nstderr:\n${run.stderr}`,
        );
      });
      for (const r of results) {
        if (r.status === 'skip') test(`${script}: ${r.name}`, { skip: r.detail }, () => {});
        else
          test(`${script}: ${r.name}`, () => {
            if (r.status === 'not ok') assert.fail(r.detail || 'failed');
          });
      }
    }
  });
}

test('editors/README.md shows the example configs the tests load (examples/init-0.11.lua, init-0.7.lua)', () => {
  const readme = readFileSync(path.join(repo, 'editors', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```lua\n([\s\S]*?)```/g)].map((m) => m[1]);
  for (const name of ['init-0.11.lua', 'init-0.7.lua']) {
    const file = readFileSync(path.join(here, '..', 'examples', name), 'utf8');
    assert.ok(blocks.includes(file), `no lua block in editors/README.md equals editors/neovim/examples/${name}`);
  }
});
