// 3. With node_modules holding Amplify's types, TypeScript offers `memoryMB?` itself: no label may
//    appear twice in the suggest widget (the server leaves out what TypeScript offers when
//    <project>/node_modules/@aws-amplify/backend exists; setting
//    amplifyLsp.completion.hideTypeScriptDuplicates, default true).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as L from '../lib.mjs';

const FILE = 'amplify/functions/say-hello/resource.ts';

/** The suggest widget's labels in defineFunction({ }) once TypeScript offers `memoryMB?`. */
async function labelsWithTypes(t, settings, tag) {
  const types = process.env.E2E_AMPLIFY_TYPES;
  assert.ok(types && fs.existsSync(path.join(types, '@aws-amplify/backend/package.json')), `E2E_AMPLIFY_TYPES (node_modules with @aws-amplify/backend) missing: ${types}`);
  const dir = L.fixture('starter', settings, tag);
  fs.symlinkSync(types, path.join(dir, 'node_modules'));
  return L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, FILE);
    await L.waitForServer(page);
    await L.newLineAfter(page, 'timeoutSeconds: 10,', dir, FILE);
    // TypeScript needs a moment to load the types of the project.
    const labels = await L.waitFor(
      async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Space');
        const rows = await L.waitFor(async () => {
          const r = await L.suggestRows(page);
          return r.length > 0 && !r.some((x) => /loading/i.test(x.label)) ? r : false;
        }, 'the suggest widget', 15_000);
        await page.waitForTimeout(1500);
        // Until TypeScript has read node_modules it offers its ~1000 globals; once it knows the
        // type, only the properties and snippets (a short list). Then read the whole list.
        const size = Number(await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row').first().getAttribute('aria-setsize'));
        if (!(size > 0 && size < 300)) return false;
        const all = await L.allSuggestLabels(page);
        return all.includes('memoryMB?') ? all : false;
      },
      "TypeScript's own `memoryMB?` item (types from node_modules)",
      90_000,
      2_000,
    );
    L.log(`${labels.length} items: ${labels.join(', ')}`);
    return labels;
  });
}

const base = (l) => l.replace(/\?$/, '');

test('with node_modules: no duplicate labels in defineFunction({ }) completion', { timeout: 240_000 }, async (t) => {
  const labels = await labelsWithTypes(t, {}, 'starter-types');
  const seen = new Map();
  for (const l of labels) seen.set(base(l), [...(seen.get(base(l)) ?? []), l]);
  const dups = [...seen.values()].filter((v) => v.length > 1).map((v) => v.join(' + '));
  assert.deepEqual(dups, [], `labels shown twice: ${dups.join(', ')}`);
});

test('amplifyLsp.completion.hideTypeScriptDuplicates: false shows ours next to TypeScript\'s', { timeout: 240_000 }, async (t) => {
  const labels = await labelsWithTypes(t, { 'amplifyLsp.completion.hideTypeScriptDuplicates': false }, 'starter-types-both');
  assert.ok(labels.includes('memoryMB?'), "TypeScript's memoryMB? is missing");
  assert.ok(labels.includes('memoryMB'), 'our memoryMB is missing although hideTypeScriptDuplicates is false');
});
