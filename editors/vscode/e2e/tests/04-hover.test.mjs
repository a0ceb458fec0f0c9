// 4. Hover on `defineStorage` shows our text (TypeScript alone has no docs for it without
//    node_modules, and never links to docs.amplify.aws).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as L from '../lib.mjs';

test('hover on defineStorage shows amplify-lsp text', { timeout: 120_000 }, async (t) => {
  const dir = L.fixture('starter', {}, 'starter-hover');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, 'amplify/storage/resource.ts');
    await L.waitForServer(page);
    const word = page.locator('.editor-instance .view-lines span', { hasText: /^defineStorage$/ }).last();
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    const text = await L.waitFor(async () => {
      await word.hover();
      await page.waitForTimeout(800);
      const s = (await hover.allInnerTexts().catch(() => [])).join('\n');
      return /S3 bucket/.test(s) ? s : false;
    }, 'a hover with amplify-lsp text on defineStorage', 30_000, 500);
    L.log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    const links = await hover.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''));
    assert.match(text, /Defines an S3 bucket/);
    assert.ok(links.some((h) => h.includes('docs.amplify.aws')), `no docs.amplify.aws link in the hover: ${links.join(' ')}`);
  });
});
