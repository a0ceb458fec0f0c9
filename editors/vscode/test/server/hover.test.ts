// Hover on `defineAuth` in editors/fixtures/project/amplify/auth/resource.ts.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { feature, positionOf, Server } from './harness';

const AUTH = 'amplify/auth/resource.ts';

function hoverText(h: Hover): string {
  const c = h.contents as MarkupContent | string | Array<string | { value: string }> | { value: string };
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value;
}

describe('hover', () => {
  test('on defineAuth: markdown about defineAuth, docs links for the configured platform', feature('hover'), async () => {
    const s = await Server.start({ initializationOptions: { docsPlatform: 'vue' } });
    try {
      assert.ok(s.initializeResult.capabilities.hoverProvider, 'hoverProvider not advertised');
      const uri = await s.open(AUTH);
      // Inside the identifier of the call (not the import): "defineAuth({".
      const pos = positionOf(s.text(uri), 'defineAuth({', 3);
      const h = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
      assert.ok(h, 'no hover on defineAuth');
      const text = hoverText(h);
      assert.match(text, /defineAuth/, `hover does not mention defineAuth: ${text}`);
      if (typeof h.contents === 'object' && 'kind' in h.contents) {
        assert.equal(h.contents.kind, 'markdown', 'the client asked for markdown first');
      }
      if (h.range) {
        assert.equal(h.range.start.line, pos.line, 'hover range is not on the hovered line');
        assert.ok(h.range.start.character <= pos.character && h.range.end.character >= pos.character);
      }
      // Links to the Amplify docs must use the platform from initializationOptions.
      const links = [...text.matchAll(/https:\/\/docs\.amplify\.aws\/([a-z-]+)\//g)].map((m) => m[1]);
      assert.ok(links.length > 0, `no https://docs.amplify.aws/ link in the hover: ${text}`);
      for (const platform of links) assert.equal(platform, 'vue', `docs link for ${platform}, configured vue`);
    } finally {
      await s.stop();
    }
  });

  test('docsPlatform changed by didChangeConfiguration is used by the next hover', feature('hover'), async () => {
    const s = await Server.start({ initializationOptions: { docsPlatform: 'vue' } });
    try {
      const uri = await s.open(AUTH);
      const pos = positionOf(s.text(uri), 'defineAuth({', 3);
      const first = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
      assert.ok(first, 'no hover on defineAuth');
      await s.conn.sendNotification('workspace/didChangeConfiguration', {
        settings: { amplifyLsp: { docsPlatform: 'swift' } },
      });
      const h = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
      assert.ok(h);
      const links = [...hoverText(h).matchAll(/https:\/\/docs\.amplify\.aws\/([a-z-]+)\//g)].map((m) => m[1]);
      assert.ok(links.length > 0, 'no docs link after the change');
      for (const platform of links) assert.equal(platform, 'swift');
    } finally {
      await s.stop();
    }
  });
});
