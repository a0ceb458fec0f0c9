// A minimal LSP client for tests: spawns the real amplify-lsp binary and talks to it with
// vscode-jsonrpc / vscode-languageserver-protocol, the libraries vscode-languageclient is built on.

import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ClientCapabilities,
  createMessageConnection,
  type Diagnostic,
  DiagnosticTag,
  type InitializeResult,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type Range,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

// out/test/server -> editors/
export const EDITORS_DIR = path.resolve(__dirname, '../../../..');
export const REPO_ROOT = path.resolve(EDITORS_DIR, '..');
export const FIXTURE = path.join(EDITORS_DIR, 'fixtures', 'project');

/** The server under test: AMPLIFY_LSP_BIN, else target/debug/amplify-lsp in the repository. */
export const SERVER_BIN = path.resolve(
  REPO_ROOT,
  process.env.AMPLIFY_LSP_BIN && process.env.AMPLIFY_LSP_BIN.trim() !== ''
    ? process.env.AMPLIFY_LSP_BIN
    : path.join('target', 'debug', process.platform === 'win32' ? 'amplify-lsp.exe' : 'amplify-lsp'),
);

export const TIMEOUT_MS = Number(process.env.AMPLIFY_LSP_TEST_TIMEOUT_MS ?? 15_000);

// ---------------------------------------------------------------------------------------------
// Feature gating (editors/features.txt, AMPLIFY_LSP_FEATURES)

export function enabledFeatures(): Set<string> | 'all' {
  const env = process.env.AMPLIFY_LSP_FEATURES;
  if (env !== undefined && env.trim() !== '') {
    const v = env.trim();
    if (v === 'all') return 'all';
    if (v === 'none') return new Set();
    return new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  const file = path.join(EDITORS_DIR, 'features.txt');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return new Set(
    text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean),
  );
}

/** `test(name, feature('hover'), fn)`: skipped with a reason unless the feature is enabled. */
export function feature(name: string): { skip?: string; timeout: number } {
  const f = enabledFeatures();
  if (f === 'all' || f.has(name)) return { timeout: TIMEOUT_MS * 3 };
  return { skip: `feature "${name}" is not enabled (editors/features.txt or AMPLIFY_LSP_FEATURES)`, timeout: TIMEOUT_MS * 3 };
}

/** Options for tests of the foundation: always on. */
export const always = { timeout: TIMEOUT_MS * 3 };

// ---------------------------------------------------------------------------------------------
// Text helpers (JavaScript strings are UTF-16, like the default LSP position encoding)

export function fixturePath(rel: string): string {
  return path.join(FIXTURE, ...rel.split('/'));
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export function readFixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

/** Line/character of the first occurrence of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const idx = text.indexOf(needle);
  if (idx < 0) throw new Error(`${JSON.stringify(needle)} not found in the fixture`);
  return offsetToPosition(text, idx + delta);
}

export function rangeOf(text: string, needle: string): Range {
  return { start: positionOf(text, needle), end: positionOf(text, needle, needle.length) };
}

export function offsetToPosition(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function positionToOffset(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let l = 0; l < pos.line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const lineLen = (lineEnd < 0 ? text.length : lineEnd) - offset;
  return offset + Math.min(pos.character, lineLen);
}

/** Applies LSP text edits (all relative to the original text, as the protocol says). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const withOffsets = edits.map((e, i) => ({
    start: positionToOffset(text, e.range.start),
    end: positionToOffset(text, e.range.end),
    newText: e.newText,
    i,
  }));
  withOffsets.sort((a, b) => b.start - a.start || b.i - a.i);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The text edits a workspace edit makes to `uri` (from `changes` or `documentChanges`). */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const out: TextEdit[] = [];
  if (edit.changes?.[uri]) out.push(...edit.changes[uri]);
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  }
  return out;
}

/** Every URI a workspace edit touches. */
export function urisIn(edit: WorkspaceEdit): string[] {
  const uris = new Set<string>(Object.keys(edit.changes ?? {}));
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc) uris.add(dc.textDocument.uri);
    else if ('uri' in dc) uris.add(dc.uri);
  }
  return [...uris];
}

// ---------------------------------------------------------------------------------------------
// The client

/** Roughly what VS Code 1.82+ with vscode-languageclient 9 announces. */
export function vscodeLikeCapabilities(opts: { pullDiagnostics: boolean; positionEncodings?: string[] }): ClientCapabilities {
  const caps: ClientCapabilities = {
    general: { positionEncodings: opts.positionEncodings ?? ['utf-16'] },
    workspace: {
      applyEdit: true,
      configuration: true,
      workspaceFolders: true,
      didChangeConfiguration: { dynamicRegistration: true },
      workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    },
    window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
    textDocument: {
      synchronization: { dynamicRegistration: true, didSave: true, willSave: true, willSaveWaitUntil: true },
      completion: {
        dynamicRegistration: true,
        contextSupport: true,
        completionItem: {
          snippetSupport: true,
          commitCharactersSupport: true,
          documentationFormat: ['markdown', 'plaintext'],
          deprecatedSupport: true,
          preselectSupport: true,
          insertReplaceSupport: true,
          labelDetailsSupport: true,
          resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        },
        completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        disabledSupport: true,
        dataSupport: true,
        resolveSupport: { properties: ['edit'] },
        codeActionLiteralSupport: {
          codeActionKind: {
            valueSet: [
              '',
              'quickfix',
              'refactor',
              'refactor.extract',
              'refactor.inline',
              'refactor.rewrite',
              'source',
              'source.organizeImports',
            ],
          },
        },
        honorsChangeAnnotations: false,
      },
      publishDiagnostics: {
        relatedInformation: true,
        versionSupport: false,
        tagSupport: { valueSet: [DiagnosticTag.Unnecessary, DiagnosticTag.Deprecated] },
        codeDescriptionSupport: true,
        dataSupport: true,
      },
    },
  };
  if (opts.pullDiagnostics && caps.textDocument) {
    caps.textDocument.diagnostic = { dynamicRegistration: true, relatedDocumentSupport: false };
    // vscode-languageclient 9 declares both together (lib/common/diagnostic.js); the server pulls
    // only from clients that can be asked to pull again.
    if (caps.workspace) caps.workspace.diagnostics = { refreshSupport: true };
  }
  return caps;
}

export interface StartOptions {
  initializationOptions?: unknown;
  pullDiagnostics?: boolean;
  positionEncodings?: string[];
  /** What `workspace/configuration` answers for the `amplifyLsp` section. */
  settings?: unknown;
}

export class Server {
  readonly conn: MessageConnection;
  readonly proc: ChildProcessWithoutNullStreams;
  initializeResult!: InitializeResult;
  stderr = '';
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private exited: Promise<number | null>;

  private constructor(opts: StartOptions) {
    if (!existsSync(SERVER_BIN)) {
      throw new Error(`no server binary at ${SERVER_BIN}: run \`cargo build -p amplify-lsp\` or set AMPLIFY_LSP_BIN`);
    }
    this.proc = spawn(SERVER_BIN, ['--stdio'], {
      cwd: FIXTURE,
      env: { ...process.env, AMPLIFY_LSP_LOG: process.env.AMPLIFY_LSP_LOG ?? 'debug' },
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      if (this.stderr.length > 200_000) this.stderr = this.stderr.slice(-100_000);
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
      for (const w of this.waiters.splice(0)) w();
    });
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'amplifyLsp' ? (opts.settings ?? opts.initializationOptions ?? {}) : null)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => null);
    this.conn.onRequest('workspace/inlayHint/refresh', () => null);
    this.conn.onRequest('workspace/semanticTokens/refresh', () => null);
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('window/showMessage', () => undefined);
    this.conn.onNotification('$/progress', () => undefined);
    this.conn.onNotification('$/logTrace', () => undefined);
    this.conn.listen();
  }

  static async start(opts: StartOptions = {}): Promise<Server> {
    const s = new Server(opts);
    s.initializeResult = await s.withTimeout(
      s.conn.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'amplify-lsp client tests', version: '0.1.0' },
        locale: 'en',
        rootPath: FIXTURE,
        rootUri: uriOf(FIXTURE),
        workspaceFolders: [{ uri: uriOf(FIXTURE), name: 'project' }],
        capabilities: vscodeLikeCapabilities({
          pullDiagnostics: opts.pullDiagnostics ?? false,
          positionEncodings: opts.positionEncodings,
        }),
        initializationOptions: opts.initializationOptions,
        trace: 'off',
      }),
      'initialize',
    );
    await s.conn.sendNotification('initialized', {});
    return s;
  }

  /** Rejects after TIMEOUT_MS with the server's stderr tail, so a hang is a readable failure. */
  withTimeout<T>(p: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms${this.stderrTail()}`)), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  stderrTail(): string {
    const tail = this.stderr.trim().split('\n').slice(-15).join('\n');
    return tail ? `\n--- amplify-lsp stderr (tail) ---\n${tail}` : '';
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    try {
      return await this.withTimeout(this.conn.sendRequest<R>(method, params), method);
    } catch (e) {
      const err = e as { message?: string; code?: number };
      if (err.code !== undefined) throw new Error(`${method} failed: ${err.message} (code ${err.code})${this.stderrTail()}`);
      throw e;
    }
  }

  /** didOpen of a fixture file (its text on disk unless `text` is given). Returns the URI. */
  async open(rel: string, text?: string): Promise<string> {
    const uri = uriOf(fixturePath(rel));
    const content = text ?? readFixture(rel);
    this.versions.set(uri, 1);
    this.texts.set(uri, content);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'typescript', version: 1, text: content },
    });
    return uri;
  }

  text(uri: string): string {
    const t = this.texts.get(uri);
    if (t === undefined) throw new Error(`${uri} is not open`);
    return t;
  }

  /** An incremental didChange (one range edit), keeping our copy of the text in step. */
  async change(uri: string, range: Range, newText: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, applyTextEdits(this.text(uri), [{ range, newText }]));
    const change: TextDocumentContentChangeEvent = { range, text: newText };
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [change],
    });
  }

  /** Replaces the whole text (full-sync style change). */
  async replaceAll(uri: string, newText: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, newText);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text: newText }],
    });
  }

  /** Waits for a publishDiagnostics for `uri` (published after `since`) that satisfies `pred`. */
  async waitForDiagnostics(
    uri: string,
    pred: (d: Diagnostic[]) => boolean,
    what: string,
    since = 0,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const list = (this.published.get(uri) ?? []).slice(since);
      const hit = list.reverse().find((p) => pred(p.diagnostics));
      if (hit) return hit.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) {
        const last = (this.published.get(uri) ?? []).at(-1);
        throw new Error(
          `${what}: not published within ${TIMEOUT_MS} ms; last publication: ${JSON.stringify(last?.diagnostics ?? null)}${this.stderrTail()}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  publishedCount(uri: string): number {
    return (this.published.get(uri) ?? []).length;
  }

  private stopping?: Promise<number | null>;

  /** shutdown + exit; resolves with the exit code (kills the process if it lingers). Idempotent. */
  stop(): Promise<number | null> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    try {
      await this.withTimeout(this.conn.sendRequest('shutdown'), 'shutdown', 5_000);
      await this.conn.sendNotification('exit');
    } catch {
      this.proc.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    const code = await this.exited;
    clearTimeout(timer);
    this.conn.dispose();
    return code;
  }
}

/** `amplify-lsp --version` output. */
export function serverVersionOutput(): string {
  return execFileSync(SERVER_BIN, ['--version'], { encoding: 'utf8', timeout: 10_000 });
}

/** The diagnostics' codes, as strings. */
export function codes(diags: Diagnostic[]): string[] {
  return diags.map((d) => String(d.code ?? ''));
}

/** True if `r` overlaps the range `[from, to)` on `line`. */
export function touchesLine(r: Range, line: number, from: number, to: number): boolean {
  if (r.start.line > line || r.end.line < line) return false;
  const s = r.start.line < line ? 0 : r.start.character;
  const e = r.end.line > line ? Number.MAX_SAFE_INTEGER : r.end.character;
  return s < to && e > from;
}
