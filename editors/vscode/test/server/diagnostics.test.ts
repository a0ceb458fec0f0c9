// Diagnostics on editors/fixtures/project/amplify/storage/resource.ts, whose 'photos' access path
// lacks the trailing '/*' (Amplify rejects it: InvalidStorageAccessPathError, checked with the
// synth tool). Push (publishDiagnostics, what Neovim 0.7 and Helix use) and pull
// (textDocument/diagnostic, what VS Code uses when the server offers it).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Diagnostic,
  DiagnosticSeverity,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
} from 'vscode-languageserver-protocol';
import { codes, feature, positionOf, Server, touchesLine } from './harness';

const STORAGE = 'amplify/storage/resource.ts';
const CODE = 'storage/path-wildcard';

function checkWildcardDiagnostic(text: string, diags: Diagnostic[]): void {
  const d = diags.find((x) => x.code === CODE);
  assert.ok(d, `no ${CODE} diagnostic; got ${JSON.stringify(codes(diags))}`);
  assert.equal(d.source, 'amplify');
  assert.equal(d.severity, DiagnosticSeverity.Error, 'Amplify rejects the backend: this is an error');
  assert.ok(d.message.trim().length > 0);
  // It must point at the 'photos' key (the quoted literal), not somewhere else in the file.
  const at = positionOf(text, "'photos':");
  assert.ok(
    touchesLine(d.range, at.line, at.character, at.character + "'photos'".length),
    `range ${JSON.stringify(d.range)} does not cover 'photos' at ${JSON.stringify(at)}`,
  );
  // Only the broken path is reported with this code: the '{entity_id}/*' path is fine.
  assert.equal(diags.filter((x) => x.code === CODE).length, 1, 'storage/path-wildcard reported more than once');
}

describe('diagnostics (push)', () => {
  test('storage/path-wildcard on a path without /*, cleared by an incremental edit', feature('diagnostics'), async () => {
    const s = await Server.start({ pullDiagnostics: false });
    try {
      const uri = await s.open(STORAGE);
      const text = s.text(uri);
      const first = await s.waitForDiagnostics(uri, (d) => d.some((x) => x.code === CODE), `${CODE} on open`);
      checkWildcardDiagnostic(text, first);

      // Type '/*' before the closing quote of 'photos' -> 'photos/*': the diagnostic goes away.
      const before = s.publishedCount(uri);
      const pos = positionOf(text, "'photos':", "'photos".length);
      await s.change(uri, { start: pos, end: pos }, '/*');
      assert.ok(s.text(uri).includes("'photos/*'"));
      const after = await s.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === CODE), `${CODE} cleared after the edit`, before);
      assert.deepEqual(
        after.filter((x) => x.severity === DiagnosticSeverity.Error),
        [],
        'the fixed file should have no errors',
      );
    } finally {
      await s.stop();
    }
  });
});

describe('diagnostics (pull)', () => {
  test('textDocument/diagnostic reports storage/path-wildcard; a correct file has no errors', feature('pull-diagnostics'), async () => {
    const s = await Server.start({ pullDiagnostics: true });
    try {
      assert.ok(s.initializeResult.capabilities.diagnosticProvider, 'diagnosticProvider not advertised');
      const uri = await s.open(STORAGE);
      const report = await s.request<DocumentDiagnosticReport>('textDocument/diagnostic', {
        textDocument: { uri },
      });
      assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
      const items = report.kind === DocumentDiagnosticReportKind.Full ? report.items : [];
      checkWildcardDiagnostic(s.text(uri), items);

      const clean = await s.open('amplify/auth/resource.ts');
      const cleanReport = await s.request<DocumentDiagnosticReport>('textDocument/diagnostic', {
        textDocument: { uri: clean },
      });
      const cleanItems = cleanReport.kind === DocumentDiagnosticReportKind.Full ? cleanReport.items : [];
      assert.deepEqual(
        cleanItems.filter((d) => d.severity === DiagnosticSeverity.Error),
        [],
        'the auth fixture is accepted by Amplify: no errors expected',
      );
    } finally {
      await s.stop();
    }
  });
});
