// Runs editors/neovim/test/run.lua in a headless Neovim and turns its report into node:test
// results, so `node --test` shows the Neovim checks next to the VS Code and Helix ones.
// Standalone: node --test editors/neovim/test/neovim.test.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const nvim = process.env.NVIM_BIN || 'nvim';
const timeoutMs = Number(process.env.AMPLIFY_LSP_TEST_TIMEOUT_MS ?? 15_000) * 8;

const run = spawnSync(
  nvim,
  ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(here, 'run.lua')}`],
  { cwd: repo, encoding: 'utf8', timeout: timeoutMs, env: process.env },
);

const stdout = run.stdout ?? '';
const header = stdout
  .split('\n')
  .filter((l) => l.startsWith('# '))
  .map((l) => l.slice(2))
  .join(', ');

if (run.error) {
  test(`neovim: could not run ${nvim}`, () => {
    assert.fail(`${run.error.message}${run.error.code === 'ENOENT' ? ' (apt-get install -y neovim)' : ''}`);
  });
} else {
  // Each report line starts a result; indented lines continue the previous one.
  const results = [];
  for (const line of stdout.split('\n')) {
    const m = /^(ok|not ok|skip) (.*?)(?: -- (.*))?$/.exec(line);
    if (m) results.push({ status: m[1], name: m[2], detail: m[3] ?? '' });
    else if (line.startsWith('    ') && results.length > 0) results.at(-1).detail += `\n${line}`;
  }

  test(`neovim headless run (${header || 'no header'}) exits with the right status`, () => {
    const failed = results.filter((r) => r.status === 'not ok').length;
    assert.ok(results.length > 0, `no results from nvim.\nstdout:\n${stdout}\nstderr:\n${run.stderr}`);
    assert.equal(run.status, failed > 0 ? 1 : 0, `nvim exit status ${run.status} (signal ${run.signal})\nstderr:\n${run.stderr}`);
  });

  for (const r of results) {
    if (r.status === 'skip') test(`neovim: ${r.name}`, { skip: r.detail }, () => {});
    else
      test(`neovim: ${r.name}`, () => {
        if (r.status === 'not ok') assert.fail(r.detail || 'failed');
      });
  }
}
