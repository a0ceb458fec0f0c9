// Code actions: the owner/userPool refactor on `allow.publicApiKey()` in
// editors/fixtures/project/amplify/data/resource.ts, and the quick fix for storage/path-wildcard.
// Both fixture variants after the edit were checked with the synth tool (ACCEPTED).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CodeAction,
  CodeActionKind,
  CodeActionTriggerKind,
  type Command,
  type Diagnostic,
  DiagnosticSeverity,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  type Range,
} from 'vscode-languageserver-protocol';
import { applyTextEdits, editsFor, feature, positionOf, rangeOf, Server, urisIn } from './harness';

const DATA = 'amplify/data/resource.ts';
const STORAGE = 'amplify/storage/resource.ts';
const OWNER_TITLE = 'Switch to owner-based authorization (user pool)';

async function codeActions(s: Server, uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]) {
  const r = await s.request<Array<CodeAction | Command> | null>('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, only, triggerKind: CodeActionTriggerKind.Invoked },
  });
  return (r ?? []).filter((a): a is CodeAction => typeof (a as CodeAction).title === 'string' && !('command' in a && typeof a.command === 'string'));
}

/** Returns the action with its edit, resolving it first when the server deferred the edit. */
async function withEdit(s: Server, action: CodeAction): Promise<CodeAction> {
  if (action.edit) return action;
  const provider = s.initializeResult.capabilities.codeActionProvider;
  assert.ok(
    typeof provider === 'object' && provider.resolveProvider,
    'the action has no edit and the server does not offer codeAction/resolve',
  );
  const resolved = await s.request<CodeAction>('codeAction/resolve', action);
  assert.ok(resolved.edit, 'codeAction/resolve returned no edit');
  return resolved;
}

async function diagnosticsOf(s: Server, uri: string, since: number): Promise<Diagnostic[]> {
  if (s.initializeResult.capabilities.diagnosticProvider) {
    const r = await s.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    return r.kind === DocumentDiagnosticReportKind.Full ? r.items : [];
  }
  return s.waitForDiagnostics(uri, () => true, 'diagnostics after the edit', since);
}

describe('code actions', () => {
  test('advertises quickfix and refactor.rewrite kinds with resolve', feature('code-action'), async () => {
    const s = await Server.start({ pullDiagnostics: true });
    try {
      const p = s.initializeResult.capabilities.codeActionProvider;
      assert.ok(p && typeof p === 'object', 'codeActionProvider should be an options object');
      assert.ok(p.codeActionKinds?.includes(CodeActionKind.QuickFix), 'quickfix kind not advertised');
      assert.ok(p.codeActionKinds?.includes(CodeActionKind.RefactorRewrite), 'refactor.rewrite kind not advertised');
      assert.equal(p.resolveProvider, true, 'resolveProvider not advertised');
    } finally {
      await s.stop();
    }
  });

  test(`"${OWNER_TITLE}" on allow.publicApiKey() rewrites the rule`, feature('code-action'), async () => {
    const s = await Server.start({ pullDiagnostics: true });
    try {
      const uri = await s.open(DATA);
      const text = s.text(uri);

      // The cursor inside `publicApiKey` (an empty range, as VS Code sends for the light bulb) ...
      const caret = positionOf(text, 'allow.publicApiKey()', 'allow.public'.length);
      const atCaret = await codeActions(s, uri, { start: caret, end: caret });
      // ... and the whole call selected.
      const selected = await codeActions(s, uri, rangeOf(text, 'allow.publicApiKey()'));
      for (const [how, list] of [
        ['at the cursor', atCaret],
        ['on the selection', selected],
      ] as const) {
        assert.ok(
          list.some((a) => a.title === OWNER_TITLE),
          `${how}: not offered; got ${JSON.stringify(list.map((a) => a.title))}`,
        );
      }

      const action = selected.find((a) => a.title === OWNER_TITLE);
      assert.ok(action);
      // the project has auth: the rule carries the security/public-api-key hint, and the switch is its fix
      assert.equal(action.kind, CodeActionKind.QuickFix);
      assert.ok(
        action.diagnostics?.some((d) => d.code === 'security/public-api-key'),
        `the switch does not name the hint it fixes: ${JSON.stringify(action.diagnostics)}`,
      );
      const resolved = await withEdit(s, action);
      assert.ok(resolved.edit);
      assert.ok(urisIn(resolved.edit).includes(uri), 'the edit does not touch data/resource.ts');
      const edited = applyTextEdits(text, editsFor(resolved.edit, uri));
      assert.match(edited, /allow\.owner\(\)/, `no allow.owner() after the edit:\n${edited}`);
      assert.doesNotMatch(edited, /allow\.publicApiKey\(\)/, `allow.publicApiKey() still there:\n${edited}`);

      // The result is a backend Amplify accepts, so the server should not flag it as an error.
      const since = s.publishedCount(uri);
      await s.replaceAll(uri, edited);
      const diags = await diagnosticsOf(s, uri, since);
      assert.deepEqual(
        diags.filter((d) => d.severity === DiagnosticSeverity.Error),
        [],
        'errors after applying the refactor',
      );
    } finally {
      await s.stop();
    }
  });

  test('`only` filters: a refactor with only=[refactor], the hint\'s quick fix with only=[quickfix], none with only=[source]', feature('code-action'), async () => {
    const s = await Server.start({ pullDiagnostics: true });
    try {
      const uri = await s.open(DATA);
      const range = rangeOf(s.text(uri), 'allow.publicApiKey()');
      const refactors = await codeActions(s, uri, range, [], [CodeActionKind.Refactor]);
      const refactor = refactors.find((a) => a.title === OWNER_TITLE);
      assert.ok(refactor, 'missing with only=[refactor]');
      assert.equal(refactor.kind, CodeActionKind.RefactorRewrite);
      const fixes = await codeActions(s, uri, range, [], [CodeActionKind.QuickFix]);
      const fix = fixes.find((a) => a.title === OWNER_TITLE);
      assert.ok(fix, 'missing with only=[quickfix]');
      assert.equal(fix.kind, CodeActionKind.QuickFix);
      const sources = await codeActions(s, uri, range, [], [CodeActionKind.Source]);
      assert.ok(!sources.some((a) => a.title === OWNER_TITLE), 'the one-rule switch offered with only=[source]');
    } finally {
      await s.stop();
    }
  });

  test('a quick fix for storage/path-wildcard appends /*', feature('quickfix'), async () => {
    const s = await Server.start({ pullDiagnostics: false });
    try {
      const uri = await s.open(STORAGE);
      const diags = await s.waitForDiagnostics(
        uri,
        (d) => d.some((x) => x.code === 'storage/path-wildcard'),
        'storage/path-wildcard',
      );
      const d = diags.find((x) => x.code === 'storage/path-wildcard');
      assert.ok(d);
      const actions = await codeActions(s, uri, d.range, [d]);
      const fix = actions.find((a) => a.kind === CodeActionKind.QuickFix);
      assert.ok(fix, `no quickfix; got ${JSON.stringify(actions.map((a) => [a.kind, a.title]))}`);
      const resolved = await withEdit(s, fix);
      assert.ok(resolved.edit);
      const edited = applyTextEdits(s.text(uri), editsFor(resolved.edit, uri));
      assert.ok(edited.includes("'photos/*'"), `the fix did not produce 'photos/*':\n${edited}`);
    } finally {
      await s.stop();
    }
  });
});
