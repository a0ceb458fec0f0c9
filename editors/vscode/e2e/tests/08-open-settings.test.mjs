// 8. "Server not found": the notification's Open Settings button shows the
//    amplifyLsp.server.path setting (code-server is a remote window, where a machine-overridable
//    setting is not listed among the local user settings: "No Settings Found").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as L from '../lib.mjs';

test('server not found: Open Settings shows amplifyLsp.server.path', { timeout: 120_000 }, async (t) => {
  const dir = L.fixture('starter', { 'amplifyLsp.server.path': '/nonexistent/amplify-lsp' }, 'starter-missing');
  await L.withWorkbench(t, dir, async ({ page }) => {
    await L.openFile(page, 'amplify/storage/resource.ts');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /amplify-lsp/i });
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    L.log(`notification: ${(await toast.first().innerText()).replace(/\s+/g, ' ')}`);
    await toast.first().locator('.monaco-button', { hasText: 'Open Settings' }).click();
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    const item = page.locator('.settings-editor .setting-item-contents', { hasText: /Server.*Path/i });
    await L.waitFor(async () => (await item.count()) > 0 || (await page.locator('.settings-editor .no-results-message').isVisible()), 'the settings editor to search', 15_000);
    const noResults = await page.locator('.settings-editor .no-results-message').isVisible();
    const tabs = await page.locator('.settings-editor .settings-tabs-widget .action-label').allInnerTexts().catch(() => []);
    L.log(`settings tabs: ${tabs.join(' | ')}; no results: ${noResults}`);
    assert.equal(noResults, false, 'the settings editor says "No Settings Found"');
    assert.ok((await item.count()) > 0, 'amplifyLsp.server.path is not shown');
  });
});
