// 6. Go to Definition (F12) on `storage` in backend.ts jumps, with no peek widget listing several results.
//    Identifiers are TypeScript's to resolve (amplify-lsp answers names inside strings): F12 on the
//    shorthand `storage` in defineBackend({ ... }) lands on its import, as TypeScript does in any file,
//    and F12 there lands on the declaration in amplify/storage/resource.ts. Each step is one jump.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import * as L from '../lib.mjs';

/**
 * Presses F12 and waits for a jump (the cursor or the active tab changes) or a peek widget. A peek of
 * *references* is not a Go to Definition answer: VS Code shows one when the definition found is where the cursor
 * is, which TypeScript answers on an import while its project is still loading (its syntax-only server). Then it
 * is closed and F12 pressed again, for up to 45 seconds (how long TypeScript takes to load depends on the
 * machine's load, not on us).
 */
async function f12(page, before, until = Date.now() + 45_000) {
  await page.keyboard.press('F12');
  const peek = page.locator('.peekview-widget');
  const what = await L.waitFor(async () => {
    if (await peek.isVisible().catch(() => false)) return 'peek';
    const tab = await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => '');
    const pos = await L.cursorPosition(page);
    if (tab !== before.tab || (pos && pos.line !== before.pos.line)) return 'jump';
    return false;
  }, 'F12 to jump or peek', 15_000);
  if (what === 'peek' && Date.now() < until) {
    const title = await peek.locator('.peekview-title').first().innerText().catch(() => '');
    if (/\bReferences\b/.test(title.replace(/\s+/g, ' '))) {
      L.log(`# F12 showed references (${title.replace(/\s+/g, ' ')}): TypeScript not ready; again`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(2000);
      return f12(page, before, until);
    }
  }
  if (what === 'peek') {
    const rows = await page.locator('.peekview-widget .monaco-list-row').allInnerTexts().catch(() => []);
    assert.fail(`Go to Definition opened a peek with ${rows.length} rows: ${rows.map((s) => s.replace(/\s+/g, ' ')).join(' | ')}`);
  }
  // settle: a second provider's answer could still turn the jump into a peek
  await page.waitForTimeout(1000);
  assert.equal(await peek.isVisible().catch(() => false), false, 'a peek widget opened after the jump');
  return {
    tab: await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label'),
    pos: await L.cursorPosition(page),
  };
}

test('F12 on `storage` in backend.ts jumps without a peek, to its import and on to its declaration', { timeout: 150_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-def');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, 'amplify/backend.ts');
    await L.waitForServer(page);
    const text = fs.readFileSync(`${dir}/amplify/backend.ts`, 'utf8').split('\n');
    const line = text.findIndex((l) => /^\s+storage,/.test(l)) + 1;
    await L.gotoLine(page, line, text[line - 1].indexOf('storage') + 3);
    await page.waitForTimeout(1000);
    const start = {
      tab: await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label'),
      pos: await L.cursorPosition(page),
    };
    const importLine = text.findIndex((l) => l.startsWith('import { storage }')) + 1;
    const first = await f12(page, start);
    assert.match(first.tab ?? '', /backend\.ts/, `first jump left backend.ts: ${first.tab}`);
    assert.equal(first.pos?.line, importLine, 'the first jump lands on the import of storage');
    // On the import: F12 again reaches the declaration.
    const col = text[importLine - 1].indexOf('storage') + 3;
    await L.gotoLine(page, importLine, col);
    const second = await f12(page, { tab: first.tab, pos: { line: importLine, column: col } });
    assert.match(second.tab ?? '', /resource\.ts/, `second jump: ${second.tab}`);
    const storage = fs.readFileSync(`${dir}/amplify/storage/resource.ts`, 'utf8').split('\n');
    const decl = storage.findIndex((l) => l.includes('export const storage')) + 1;
    assert.equal(second.pos?.line, decl, 'the second jump lands on the declaration');
  });
});
