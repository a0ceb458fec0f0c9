// 10. Frontend code of an Amplify project (issue 16), in the real workbench, on examples/frontend
//    (no node_modules): the Problems panel shows for the frontend files exactly what
//    `amplify-lsp check` reports for them; completion after `visitors.models.` puts the schema's
//    models first; hover on a data call says which modes may call it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import * as L from '../lib.mjs';

const FRONTEND = ['src/board.ts', 'src/Avatar.tsx'];
const key = (p) => `${p.file}:${p.line} ${p.code}`;

test('frontend files: Problems panel = amplify-lsp check', { timeout: 240_000 }, async (t) => {
  const dir = L.fixture('frontend', { 'typescript.validate.enable': false }, 'frontend-problems');
  const expected = L.checkFindings(dir)
    .filter((d) => d.severity !== 'hint')
    .map((d) => ({ file: path.relative(dir, path.resolve(dir, d.file)), code: d.code, line: d.line }))
    .filter((d) => FRONTEND.includes(d.file))
    .map(key)
    .sort();
  assert.ok(expected.length >= 3, `check found only ${expected.length} frontend findings: ${expected.join(', ')}`);
  assert.ok(expected.every((k) => / frontend\//.test(k)), `non-frontend codes in frontend files: ${expected.join(', ')}`);
  await L.withWorkbench(t, dir, async ({ page }) => {
    await page.keyboard.press('Control+Shift+M'); // View: Problems
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    for (const f of FRONTEND) await L.openFile(page, f);
    await L.command(page, 'View: Toggle Maximized Panel');
    let shown = [];
    await L.waitFor(
      async () => {
        shown = (await L.problems(page))
          .filter((p) => FRONTEND.some((f) => p.file.endsWith(f)))
          .map((p) => ({ ...p, file: FRONTEND.find((f) => p.file.endsWith(f)) }))
          .map(key)
          .sort();
        return JSON.stringify(shown) === JSON.stringify(expected);
      },
      'the Problems panel to match amplify-lsp check for the frontend files',
      30_000,
    ).catch(() => {});
    assert.deepEqual(shown, expected, 'Problems panel (file:line code) differs from `amplify-lsp check`');
  });
});

test('completion after `visitors.models.` offers the models first; hover on a call names its modes', { timeout: 240_000 }, async (t) => {
  const dir = L.fixture('frontend', { 'typescript.validate.enable': false }, 'frontend-complete');
  const FILE = 'src/board.ts';
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, FILE);
    await L.waitForServer(page);
    await L.newLineAfter(page, 'return posts;', dir, FILE);
    await page.keyboard.type('visitors.models.', { delay: 60 });
    const labels = await L.waitFor(async () => {
      const r = await L.suggestRows(page);
      if (r.length === 0) {
        await page.keyboard.press('Control+Space');
        return false;
      }
      const l = r.map((x) => x.label.replace(/\?$/, ''));
      return !l.some((x) => /loading/i.test(x)) && l.includes('Post') ? l : false;
    }, 'the suggest widget after `visitors.models.` with the model Post');
    L.log(`after \`visitors.models.\`: ${labels.slice(0, 8).join(', ')}`);
    assert.deepEqual(labels.slice(0, 2).sort(), ['Note', 'Post'], `the models are not the first items: ${labels.slice(0, 8).join(', ')}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');

    const word = page.locator('.editor-instance .view-lines span', { hasText: /^list$/ }).first();
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    const text = await L.waitFor(async () => {
      await word.hover();
      await page.waitForTimeout(800);
      const s = (await hover.allInnerTexts().catch(() => [])).join('\n');
      return /apiKey/.test(s) && /userPool/.test(s) ? s : false;
    }, 'a hover naming the modes of `visitors.models.Post.list`', 30_000, 500);
    L.log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
  });
});
