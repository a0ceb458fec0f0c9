// 5. *Switch to owner-based authorization (user pool)* on `allow.publicApiKey()` is offered with
//    Ctrl+. and, once applied, changes the file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as L from '../lib.mjs';

const FILE = 'amplify/data/resource.ts';
const TITLE = 'Switch to owner-based authorization (user pool)';

test(`code action "${TITLE}" is offered and applied`, { timeout: 120_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-action');
  const before = fs.readFileSync(path.join(dir, FILE), 'utf8');
  const lines = before.split('\n');
  const line = lines.findIndex((l) => l.includes('.authorization(') && l.includes('allow.publicApiKey()')) + 1;
  const column = lines[line - 1].indexOf('publicApiKey') + 3;
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, FILE);
    await L.waitForServer(page);
    await L.gotoLine(page, line, column);
    const item = page.locator('.action-widget .monaco-list-row', { hasText: TITLE });
    await L.waitFor(async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      await page.locator('.action-widget').waitFor({ state: 'visible', timeout: 5_000 });
      return (await item.count()) > 0;
    }, `"${TITLE}" in the Ctrl+. menu`, 30_000, 1_000);
    const offered = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
    L.log(`Ctrl+. offers: ${offered.map((s) => s.trim()).join(' | ')}`);
    // Keyboard, as a user would: Down until the action is focused, then Enter.
    for (let i = 0; i < 10; i++) {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label').catch(() => '');
      if (focused === TITLE) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' }).catch(() => {});
    await page.keyboard.press('Control+S');
    const after = await L.waitFor(() => {
      const s = fs.readFileSync(path.join(dir, FILE), 'utf8');
      return s !== before ? s : false;
    }, 'the file on disk to change', 15_000);
    const rule = after.split('\n').find((l) => l.includes('.authorization(')) ?? '';
    L.log(`after: ${rule.trim()}`);
    assert.doesNotMatch(rule, /allow\.publicApiKey\(\)/, 'allow.publicApiKey() still in the authorization rules');
    assert.match(rule, /allow\.owner\(/, 'no allow.owner() in the authorization rules');
  });
});
