// src/log.ts: what vscode-languageclient 9.0.1 writes to its output channel, turned into one
// LogOutputChannel line at the right level with VS Code's timestamp only.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClientLogChannel, LogLevel } from '../../src/log';

function sink(logLevel: number = LogLevel.Info) {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => lines.push(`[${level}] ${m}`);
  return {
    lines,
    s: {
      name: 'Amplify LSP',
      logLevel,
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      show() {},
      hide() {},
      clear: () => lines.push('<clear>'),
      dispose: () => lines.push('<dispose>'),
    },
  };
}

describe('ClientLogChannel', () => {
  test("the client's [Level - time] prefix becomes the channel level, without a second timestamp", () => {
    const { s, lines } = sink();
    const c = new ClientLogChannel(s);
    c.appendLine('[Info  - 3:15:02 PM] indexed 9 files');
    c.appendLine('[Warn  - 15:15:02] amplify/x.ts is larger than maxFileSize');
    c.appendLine('[Error - 3:15:02 PM] Request textDocument/hover failed.');
    assert.deepEqual(lines, [
      '[info] indexed 9 files',
      '[warn] amplify/x.ts is larger than maxFileSize',
      '[error] Request textDocument/hover failed.',
    ]);
  });

  test('exit code 0 is a normal exit, reported at info; other codes and signals stay errors', () => {
    const { s, lines } = sink();
    const c = new ClientLogChannel(s);
    c.appendLine('[Error - 3:15:02 PM] Server process exited with code 0.');
    c.appendLine('[Error - 3:15:02 PM] Server process exited with code 101.');
    c.appendLine('[Error - 3:15:02 PM] Server process exited with signal SIGKILL.');
    assert.deepEqual(lines, [
      '[info] Server process exited with code 0.',
      '[error] Server process exited with code 101.',
      '[error] Server process exited with signal SIGKILL.',
    ]);
  });

  test('the data lines written right after a message keep its level', async () => {
    const { s, lines } = sink();
    const c = new ClientLogChannel(s);
    c.appendLine('[Error - 3:15:02 PM] Request failed');
    c.appendLine('  Message: boom\n  Code: -32603');
    await Promise.resolve();
    c.appendLine('a window/logMessage of type Log');
    assert.deepEqual(lines, ['[error] Request failed', '[error]   Message: boom\n  Code: -32603', '[info] a window/logMessage of type Log']);
  });

  test('debug lines are written at debug when the channel shows debug, at info when it would hide them', () => {
    const info = sink(LogLevel.Info);
    new ClientLogChannel(info.s).appendLine('[Debug - 3:15:02 PM] analysed amplify/data/resource.ts in 3 ms');
    assert.deepEqual(info.lines, ['[info] analysed amplify/data/resource.ts in 3 ms']);
    const debug = sink(LogLevel.Debug);
    new ClientLogChannel(debug.s).appendLine('[Debug - 3:15:02 PM] analysed amplify/data/resource.ts in 3 ms');
    assert.deepEqual(debug.lines, ['[debug] analysed amplify/data/resource.ts in 3 ms']);
  });

  test("stderr arrives in chunks: one line each, at the server's level, without its timestamp", () => {
    const { s, lines } = sink();
    const c = new ClientLogChannel(s);
    c.append('2026-12-05T15:15:02.123456Z  INFO amplify-lsp 0.1.0 starting\n2026-12-05T15:15:02.2Z  WA');
    c.append('RN no workspace folder\n\n');
    c.append('2026-12-05T15:15:03.000000Z ERROR cannot read x.ts\nthread panicked');
    assert.deepEqual(lines, ['[info] amplify-lsp 0.1.0 starting', '[warn] no workspace folder', '[error] cannot read x.ts']);
    c.flush();
    assert.deepEqual(lines.at(-1), '[info] thread panicked');
  });

  test('name, clear, replace and dispose (the client never disposes a channel it was given)', () => {
    const { s, lines } = sink();
    const c = new ClientLogChannel(s);
    assert.equal(c.name, 'Amplify LSP');
    c.replace('2026-12-05T15:15:02Z DEBUG x');
    c.dispose();
    assert.deepEqual(lines, ['<clear>', '[info] x']);
  });
});
