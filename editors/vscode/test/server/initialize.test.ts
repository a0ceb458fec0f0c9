// Foundation: --version, the initialize handshake, document sync, configuration, shutdown.
// Always run (see editors/features.txt for the feature tests).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol';
import { always, Server, serverVersionOutput } from './harness';

describe('amplify-lsp foundation (VS Code protocol libraries)', () => {
  test('--version prints "amplify-lsp <semver>"', always, () => {
    const out = serverVersionOutput().trim();
    assert.match(out, /^amplify-lsp \d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/);
  });

  test('initialize: serverInfo, incremental sync, UTF-16 for a UTF-16-only client', always, async () => {
    const s = await Server.start({ initializationOptions: {} });
    try {
      const r = s.initializeResult;
      assert.equal(r.serverInfo?.name, 'amplify-lsp');
      const version = serverVersionOutput().trim().split(/\s+/)[1];
      assert.equal(r.serverInfo?.version, version, 'serverInfo.version and --version disagree');

      const sync = r.capabilities.textDocumentSync;
      assert.ok(sync !== undefined && typeof sync === 'object', 'textDocumentSync should be an options object');
      assert.equal(sync.openClose, true);
      assert.equal(sync.change, TextDocumentSyncKind.Incremental);

      // VS Code only speaks UTF-16; the answer must be absent (= utf-16) or utf-16.
      const enc = r.capabilities.positionEncoding;
      assert.ok(enc === undefined || enc === 'utf-16', `positionEncoding ${enc} for a utf-16-only client`);
    } finally {
      await s.stop();
    }
  });

  test('initialize: a client offering UTF-8 gets one of the encodings it offered', always, async () => {
    const s = await Server.start({ positionEncodings: ['utf-8', 'utf-16'] });
    try {
      const enc = s.initializeResult.capabilities.positionEncoding ?? 'utf-16';
      assert.ok(['utf-8', 'utf-16'].includes(enc), `unexpected positionEncoding ${enc}`);
    } finally {
      await s.stop();
    }
  });

  test('every initializationOption and a didChangeConfiguration are accepted', always, async () => {
    const options = { docsPlatform: 'vue', logLevel: 'trace', syntaxErrors: true, maxFileSize: 1_000_000 };
    const s = await Server.start({ initializationOptions: options });
    try {
      await s.conn.sendNotification('workspace/didChangeConfiguration', {
        settings: { amplifyLsp: { docsPlatform: 'flutter', logLevel: 'warn', syntaxErrors: false } },
      });
      // Unknown and wrongly-typed values must not take the server down either.
      await s.conn.sendNotification('workspace/didChangeConfiguration', {
        settings: { amplifyLsp: { docsPlatform: 42, bogus: true } },
      });
      const uri = await s.open('amplify/backend.ts');
      await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      // Still alive and answering: a shutdown request gets a response.
      assert.equal(await s.stop(), 0, `server did not exit cleanly${s.stderrTail()}`);
    } finally {
      await s.stop();
    }
  });

  test('documents open, change incrementally and close without errors', always, async () => {
    const s = await Server.start();
    try {
      const uri = await s.open('amplify/functions/say-hello/resource.ts');
      const text = s.text(uri);
      const line = text.split('\n').findIndex((l) => l.trim() === '' && text.includes('defineFunction'));
      assert.ok(line > 0);
      await s.change(uri, { start: { line, character: 0 }, end: { line, character: 0 } }, '  // edited\n');
      await s.replaceAll(uri, text);
      await s.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
      await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      assert.equal(s.proc.exitCode, null, 'server died');
    } finally {
      assert.equal(await s.stop(), 0, `server did not exit cleanly${s.stderrTail()}`);
    }
  });

  test('shutdown then exit ends the process with status 0', always, async () => {
    const s = await Server.start();
    const t0 = Date.now();
    assert.equal(await s.stop(), 0, `exit status${s.stderrTail()}`);
    assert.ok(Date.now() - t0 < 5_000, 'took more than 5 s to exit');
  });
});
