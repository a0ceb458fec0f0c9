// 2. Completion with no node_modules: Ctrl+Space on an empty line inside `defineFunction({ })`
//    must put an Amplify property among the first 5 items of the suggest widget; typing `mem`
//    and accepting inserts `memoryMB: `.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as L from '../lib.mjs';

const FILE = 'amplify/functions/say-hello/resource.ts';

test('Ctrl+Space in defineFunction({ }): an Amplify property is in the top 5 (no node_modules)', { timeout: 180_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-rank');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, FILE);
    await L.waitForServer(page);
    await L.newLineAfter(page, 'timeoutSeconds: 10,', dir, FILE);
    const { rank, top } = await L.completionRank(page, L.FUNCTION_PROPS);
    L.log(`first Amplify property at rank ${rank} (1-based); top 10: ${top.slice(0, 10).join(', ')}`);
    t.diagnostic(`rank of the first Amplify property: ${rank}`);
    assert.ok(rank >= 1 && rank <= 5, `first Amplify property at rank ${rank}; the suggest widget starts with: ${top.slice(0, 10).join(', ')}`);
  });
});

test('typing `mem` and accepting inserts `memoryMB: `', { timeout: 180_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-mem');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, FILE);
    await L.waitForServer(page);
    await L.newLineAfter(page, 'timeoutSeconds: 10,', dir, FILE);
    await page.keyboard.type('mem', { delay: 80 });
    // Wait for what is on screen, never for a fixed time: a loaded machine may re-render the widget (the list is
    // incomplete until the project is indexed) for a while. Typing opens the widget (quick suggestions); if it
    // is not open, ask for it.
    const focusedLabel = () =>
      page.locator('.editor-widget.suggest-widget.visible .monaco-list-row.focused .label-name').innerText({ timeout: 500 }).catch(() => '');
    const rows = await L.waitFor(async () => {
      const r = await L.suggestRows(page);
      if (r.length === 0) {
        await page.keyboard.press('Control+Space');
        return false;
      }
      return !r.some((x) => /loading/i.test(x.label)) && (await focusedLabel()) ? r : false;
    }, 'the suggest widget after `mem`, with an item focused');
    const focused = await focusedLabel();
    L.log(`after \`mem\`: ${(await L.suggestRows(page)).slice(0, 5).map((r) => r.label).join(', ')} (focused: ${focused}; first seen: ${rows[0]?.label})`);
    await page.keyboard.press('Enter');
    // Saved until the line holds what was accepted (the item may be resolved before it is inserted).
    const lineOf = () => {
      const text = fs.readFileSync(path.join(dir, FILE), 'utf8');
      return text.split('\n').find((x) => /^\s*(mem|memoryMB|architecture)/.test(x) && !x.includes('timeoutSeconds')) ?? '';
    };
    let line = '';
    try {
      line = await L.waitFor(async () => {
        await page.keyboard.press('Control+S');
        const l = lineOf();
        return /^\s*mem\w+/.test(l) || /^\s*architecture/.test(l) ? l : false;
      }, 'the accepted item in the saved file', 20_000, 500);
    } catch {
      line = lineOf();
    }
    L.log(`inserted line: ${JSON.stringify(line)}`);
    if (!/^\s*memoryMB: /.test(line)) L.log(`the file:\n${fs.readFileSync(path.join(dir, FILE), 'utf8')}`);
    assert.match(line, /^\s*memoryMB: /, `accepting after \`mem\` gave ${JSON.stringify(line)}`);
  });
});
