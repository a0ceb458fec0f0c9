// 6. Go to Definition (F12) on `storage` in backend.ts jumps to amplify/storage/resource.ts
//    directly: no peek widget with several results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as L from '../lib.mjs';

test('F12 on `storage` in backend.ts jumps without a peek', { timeout: 120_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-def');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, 'amplify/backend.ts');
    await L.waitForServer(page);
    const text = (await import('node:fs')).readFileSync(`${dir}/amplify/backend.ts`, 'utf8').split('\n');
    const line = text.findIndex((l) => /^\s+storage,/.test(l)) + 1;
    await L.gotoLine(page, line, text[line - 1].indexOf('storage') + 3);
    await page.waitForTimeout(1000);
    await page.keyboard.press('F12');
    const peek = page.locator('.peekview-widget');
    const jumped = page.locator('.tabs-container .tab.active[aria-label*="resource.ts"]');
    const what = await L.waitFor(async () => {
      if (await peek.isVisible().catch(() => false)) return 'peek';
      if ((await jumped.count()) > 0) return 'jump';
      return false;
    }, 'F12 to jump or peek', 15_000);
    if (what === 'peek') {
      const refs = await page.locator('.peekview-widget .monaco-list-row').allInnerTexts().catch(() => []);
      assert.fail(`Go to Definition opened a peek with ${refs.length} rows: ${refs.map((s) => s.replace(/\s+/g, ' ')).join(' | ')}`);
    }
    const tab = await jumped.first().getAttribute('aria-label');
    assert.match(tab ?? '', /storage/, `jumped to ${tab}`);
    assert.equal(await peek.isVisible().catch(() => false), false, 'a peek widget is open');
  });
});
