// Completion of defineFunction properties in
// editors/fixtures/project/amplify/functions/say-hello/resource.ts (the empty line inside the
// object literal).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CompletionItem, type CompletionList, CompletionTriggerKind } from 'vscode-languageserver-protocol';
import { feature, Server } from './harness';

const FUNCTION = 'amplify/functions/say-hello/resource.ts';

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (r === null) return [];
  return Array.isArray(r) ? r : r.items;
}

/** The property name an item stands for: its label without decorations like `?` or `: ...`. */
function names(list: CompletionItem[]): string[] {
  return list.map((i) => i.label.replace(/[?:\s].*$/, ''));
}

/** Position of the blank line inside `defineFunction({ ... })`, after its indentation. */
function blankLine(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes('defineFunction({'));
  const line = lines.findIndex((l, i) => i > start && l.trim() === '');
  assert.ok(start >= 0 && line > start, 'fixture lost its blank line inside defineFunction({ })');
  return { line, character: lines[line].length };
}

describe('completion', () => {
  test('inside defineFunction({ }) offers timeoutSeconds and friends, not other resources props', feature('completion'), async () => {
    const s = await Server.start();
    try {
      const provider = s.initializeResult.capabilities.completionProvider;
      assert.ok(provider, 'completionProvider not advertised');
      for (const ch of ['.', "'", '"', '{']) {
        assert.ok(provider.triggerCharacters?.includes(ch), `trigger character ${ch} not advertised`);
      }

      const uri = await s.open(FUNCTION);
      const pos = blankLine(s.text(uri));
      const r = await s.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
        textDocument: { uri },
        position: pos,
        context: { triggerKind: CompletionTriggerKind.Invoked },
      });
      const got = names(items(r));
      for (const want of ['timeoutSeconds', 'memoryMB', 'environment']) {
        assert.ok(got.includes(want), `${want} missing from ${JSON.stringify(got)}`);
      }
      // Already written in the object: should not be offered again.
      assert.ok(!got.includes('name'), '`name` is already set but was offered again');
      // Properties of other define* calls do not belong here.
      for (const wrong of ['loginWith', 'access', 'schema']) {
        assert.ok(!got.includes(wrong), `${wrong} (not a defineFunction property) was offered`);
      }
    } finally {
      await s.stop();
    }
  });

  test('after typing a prefix (incremental change) timeoutSeconds is still offered', feature('completion'), async () => {
    const s = await Server.start();
    try {
      const uri = await s.open(FUNCTION);
      const pos = blankLine(s.text(uri));
      await s.change(uri, { start: pos, end: pos }, 'time');
      const at = { line: pos.line, character: pos.character + 'time'.length };
      const r = await s.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
        textDocument: { uri },
        position: at,
        context: { triggerKind: CompletionTriggerKind.Invoked },
      });
      const list = items(r);
      const item = list.find((i) => i.label.startsWith('timeoutSeconds'));
      assert.ok(item, `timeoutSeconds missing from ${JSON.stringify(names(list))}`);
      // If the item carries an edit, it must replace the typed prefix (not insert after it).
      const edit = item.textEdit;
      if (edit) {
        const start = 'range' in edit ? edit.range.start : edit.insert.start;
        assert.deepEqual(start, pos, 'the edit should start where the prefix starts');
        assert.match(edit.newText, /^timeoutSeconds/);
      }
    } finally {
      await s.stop();
    }
  });
});
