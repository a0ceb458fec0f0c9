// 7. The "Amplify LSP" output channel: no normal line shown as an error, one timestamp per line,
//    no "[Error] Server process exited with code 0" after Amplify LSP: Restart Server; with
//    amplifyLsp.logLevel: debug the channel shows the server's debug lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as L from '../lib.mjs';

const TIME = /\b\d{1,2}:\d{2}:\d{2}\b/g;

function check(lines) {
  const bad = [];
  for (const l of lines) {
    if (l.trim() === '') continue;
    const times = l.match(TIME) ?? [];
    if (times.length > 1) bad.push(`two timestamps: ${l}`);
    if (/\[(Trace|Debug|Info|Warn|Error)\s*- /.test(l)) bad.push(`a second level/time prefix: ${l}`);
    if (/\[error\]/i.test(l)) bad.push(`shown as an error: ${l}`);
    if (/exited with code 0/.test(l) && /error/i.test(l)) bad.push(`normal exit as an error: ${l}`);
  }
  return bad;
}

test('output channel: one timestamp, right levels, quiet restart', { timeout: 150_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-log');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, 'amplify/storage/resource.ts');
    await L.waitForServer(page);
    await L.command(page, 'Amplify LSP: Restart Server');
    await L.showOutput(page);
    await L.command(page, 'View: Toggle Maximized Panel');
    const lines = await L.waitFor(async () => {
      const ls = await L.outputLines(page);
      return ls.filter((l) => /Starting amplify-lsp/.test(l)).length >= 2 ? ls : false;
    }, 'the restarted server in the output', 30_000);
    await page.waitForTimeout(2000);
    const all = await L.outputLines(page);
    L.log(`output after restart:\n${all.join('\n')}`);
    const bad = check(all);
    assert.deepEqual(bad, [], 'output channel lines');
    assert.ok(lines.length > 0);
  });
});

test('output channel: amplifyLsp.logLevel debug shows debug lines', { timeout: 150_000 }, async (t) => {
  const dir = L.fixture('starter', { 'amplifyLsp.logLevel': 'debug' }, 'starter-debug');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, 'amplify/storage/resource.ts');
    await L.waitForServer(page);
    // An edit makes the server analyse the file again.
    await L.gotoLine(page, 1, 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    await L.showOutput(page);
    await L.command(page, 'View: Toggle Maximized Panel');
    let all = [];
    const ok = await L.waitFor(async () => {
      all = await L.outputLines(page);
      // The server's debug lines say what was analysed, how many rules ran and how long it took.
      return all.some((l) => /\[debug\]/.test(l) || (/\d+(\.\d+)?\s*(ms|µs)\b/.test(l) && /rule/i.test(l)));
    }, 'a debug line from the server', 20_000).catch(() => false);
    L.log(`output with logLevel debug:\n${all.join('\n')}`);
    assert.ok(ok, 'no debug line from the server in the Amplify LSP output');
    assert.deepEqual(check(all), [], 'output channel lines');
  });
});
