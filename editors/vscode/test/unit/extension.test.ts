// src/extension.ts with `vscode` and `vscode-languageclient/node` replaced by fakes: which client
// it creates, with what options, and how it reacts to settings, trust, commands and missing servers.
// Discovery runs for real against small fake `amplify-lsp` scripts.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

// --- fakes ------------------------------------------------------------------------------------

type Listener = (e: unknown) => unknown;

class FakeClient {
  static created: FakeClient[] = [];
  started = false;
  stopped = false;
  notifications: Array<{ type: unknown; params: unknown }> = [];
  constructor(
    readonly id: string,
    readonly name: string,
    readonly serverOptions: { command: string; args: string[] },
    readonly clientOptions: {
      documentSelector: unknown;
      initializationOptions: unknown;
      outputChannel: { appendLine(s: string): void };
      middleware: {
        workspace: {
          configuration: (p: { items: Array<{ section?: string }> }, t: unknown, next: Listener) => Promise<unknown>;
        };
      };
    },
  ) {
    FakeClient.created.push(this);
  }
  async start() {
    this.started = true;
  }
  async stop() {
    this.stopped = true;
  }
  isRunning() {
    return this.started && !this.stopped;
  }
  async sendNotification(type: unknown, params: unknown) {
    this.notifications.push({ type, params });
  }
}
const DID_CHANGE = { method: 'workspace/didChangeConfiguration' };
const fakeLanguageClient = {
  LanguageClient: FakeClient,
  DidChangeConfigurationNotification: { type: DID_CHANGE },
};

interface World {
  user: Record<string, unknown>;
  workspace: Record<string, unknown>;
  trusted: boolean;
  amplifyOnDisk: boolean;
  /** The `amplify/backend.ts` files findFiles returns when amplifyOnDisk is set. */
  backends: string[];
  errors: Array<{ message: string; items: string[] }>;
  warnings: string[];
  /** The first workspace folder. */
  folder: string;
  /** The button the user presses on an error message. */
  choice?: string;
  remoteName?: string;
  executed: Array<[string, unknown]>;
  logged: string[];
  commands: Map<string, () => unknown>;
  onConfig: Listener[];
  onOpen: Listener[];
  onTrust: Listener[];
  onFolders: Listener[];
  onBackendCreated: Listener[];
  onBackendDeleted: Listener[];
  watched: string[];
}

let world: World;

function fakeVscode() {
  const config = (section: string) => ({
    get: (key: string) => {
      const k = `${section}.${key}`;
      return world.trusted && k in world.workspace ? world.workspace[k] : world.user[k];
    },
    inspect: (key: string) => {
      const k = `${section}.${key}`;
      return { key: k, globalValue: world.user[k], workspaceValue: world.workspace[k] };
    },
  });
  const channel = (name: string) => {
    const at = (level: string) => (m: string) => world.logged.push(`${name} [${level}] ${m}`);
    return {
      name,
      logLevel: 3,
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      show() {},
      hide() {},
      clear() {},
      dispose() {},
      appendLine: at('appendLine'),
    };
  };
  return {
    workspace: {
      getConfiguration: config,
      get isTrusted() {
        return world.trusted;
      },
      get workspaceFolders() {
        return [{ uri: { fsPath: world.folder } }];
      },
      textDocuments: [],
      findFiles: async (_include: string, _exclude: string, max?: number) =>
        world.amplifyOnDisk ? world.backends.slice(0, max).map((fsPath) => ({ fsPath })) : [],
      createFileSystemWatcher: (glob: string) => {
        world.watched.push(glob);
        return {
          onDidCreate: (l: Listener) => (world.onBackendCreated.push(l), { dispose() {} }),
          onDidDelete: (l: Listener) => (world.onBackendDeleted.push(l), { dispose() {} }),
          dispose() {},
        };
      },
      onDidChangeWorkspaceFolders: (l: Listener) => (world.onFolders.push(l), { dispose() {} }),
      onDidChangeConfiguration: (l: Listener) => (world.onConfig.push(l), { dispose() {} }),
      onDidOpenTextDocument: (l: Listener) => (world.onOpen.push(l), { dispose() {} }),
      onDidGrantWorkspaceTrust: (l: Listener) => (world.onTrust.push(l), { dispose() {} }),
    },
    window: {
      createOutputChannel: channel,
      showErrorMessage: async (message: string, ...items: string[]) => {
        world.errors.push({ message, items });
        return world.choice;
      },
      showWarningMessage: async (message: string) => {
        world.warnings.push(message);
        return undefined;
      },
    },
    env: {
      get remoteName() {
        return world.remoteName;
      },
    },
    commands: {
      registerCommand: (id: string, fn: () => unknown) => (world.commands.set(id, fn), { dispose() {} }),
      executeCommand: async (id: string, args: unknown) => {
        world.executed.push([id, args]);
      },
    },
    languages: {
      match: (_selector: unknown, doc: { languageId: string; uri: { fsPath: string } }) =>
        doc.languageId === 'typescript' && doc.uri.fsPath.includes('/amplify/') ? 10 : 0,
    },
  };
}

// Route `require('vscode')` and `require('vscode-languageclient/node')` to the fakes.
const moduleWithLoad = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
const realLoad = moduleWithLoad._load;
moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
  if (request === 'vscode') return fakeVscode();
  if (request === 'vscode-languageclient/node') return fakeLanguageClient;
  return realLoad.call(this, request, ...rest);
};

type Extension = typeof import('../../src/extension');
function loadExtension(): Extension {
  const file = require.resolve('../../src/extension');
  delete require.cache[file];
  return require(file) as Extension;
}

/** A fake server: a script answering `--version`. */
const bin = mkdtempSync(path.join(tmpdir(), 'amplify-ext-'));
function fakeServer(name: string, version = '0.1.0'): string {
  const p = path.join(bin, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, `#!/bin/sh\necho "amplify-lsp ${version}"\n`);
  chmodSync(p, 0o755);
  return p;
}
const serverA = fakeServer('server-a');
const serverB = fakeServer('server-b');

const tick = () => new Promise((r) => setTimeout(r, 50));
const savedEnv = { ...process.env };

async function activate(): Promise<{ ext: Extension; context: { subscriptions: unknown[] } }> {
  const ext = loadExtension();
  const context = {
    extensionPath: path.join(bin, 'ext'),
    extension: { packageJSON: { version: '0.1.0' } },
    subscriptions: [] as unknown[],
  };
  await ext.activate(context as never);
  await tick();
  return { ext, context };
}

function changeSetting(key: string, value: unknown) {
  world.user[key] = value;
  for (const l of world.onConfig) l({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) });
}

// --- tests ------------------------------------------------------------------------------------

describe('extension wiring (vscode mocked)', { skip: process.platform === 'win32' ? 'uses sh scripts' : false }, () => {
  beforeEach(() => {
    FakeClient.created = [];
    world = {
      user: { 'amplifyLsp.docsPlatform': 'vue', 'amplifyLsp.logLevel': 'info', 'amplifyLsp.syntaxErrors': false },
      workspace: {},
      trusted: true,
      amplifyOnDisk: true,
      backends: ['/home/dev/app/amplify/backend.ts'],
      errors: [],
      warnings: [],
      folder: '/home/dev/app',
      executed: [],
      logged: [],
      commands: new Map(),
      onConfig: [],
      onOpen: [],
      onTrust: [],
      onFolders: [],
      onBackendCreated: [],
      onBackendDeleted: [],
      watched: [],
    };
    process.env = { ...savedEnv, PATH: '/nonexistent', HOME: bin, CARGO_HOME: path.join(bin, 'cargo') };
    delete process.env.AMPLIFY_LSP_PATH;
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  test('starts one client for an Amplify workspace, with the selector, --stdio and settings', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    await activate();
    assert.equal(FakeClient.created.length, 1);
    const c = FakeClient.created[0];
    assert.equal(c.id, 'amplifyLsp', 'the id decides which trace setting the client reads');
    assert.equal(c.serverOptions.command, serverA);
    assert.deepEqual(c.serverOptions.args, ['--stdio']);
    assert.deepEqual(c.clientOptions.documentSelector, [
      { scheme: 'file', language: 'typescript', pattern: '**/amplify/**' },
      { scheme: 'file', language: 'typescriptreact', pattern: '**/amplify/**' },
      { scheme: 'file', language: 'typescript', pattern: '/home/dev/app/**' },
      { scheme: 'file', language: 'typescriptreact', pattern: '/home/dev/app/**' },
      { scheme: 'file', language: 'javascript', pattern: '/home/dev/app/**' },
      { scheme: 'file', language: 'javascriptreact', pattern: '/home/dev/app/**' },
    ]);
    assert.deepEqual(c.clientOptions.initializationOptions, { docsPlatform: 'vue', logLevel: 'info', syntaxErrors: false });
    assert.ok(c.started);
    assert.deepEqual([...world.commands.keys()].sort(), ['amplifyLsp.restartServer', 'amplifyLsp.showOutput']);
    assert.deepEqual(world.errors, []);
  });

  test('the server.path setting is used when AMPLIFY_LSP_PATH is unset', async () => {
    world.user['amplifyLsp.server.path'] = serverB;
    await activate();
    assert.equal(FakeClient.created[0]?.serverOptions.command, serverB);
  });

  test('untrusted workspace: the workspace server.path is ignored, the user one is used', async () => {
    world.trusted = false;
    world.user['amplifyLsp.server.path'] = serverA;
    world.workspace['amplifyLsp.server.path'] = serverB;
    await activate();
    assert.equal(FakeClient.created[0]?.serverOptions.command, serverA);
  });

  test('granting trust restarts with the workspace server.path', async () => {
    world.trusted = false;
    world.user['amplifyLsp.server.path'] = serverA;
    world.workspace['amplifyLsp.server.path'] = serverB;
    await activate();
    world.trusted = true;
    for (const l of world.onTrust) l(undefined);
    await tick();
    assert.equal(FakeClient.created.length, 2);
    assert.ok(FakeClient.created[0].stopped);
    assert.equal(FakeClient.created[1].serverOptions.command, serverB);
  });

  test('changing docsPlatform reconfigures the running server, no restart', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    await activate();
    changeSetting('amplifyLsp.docsPlatform', 'swift');
    await tick();
    assert.equal(FakeClient.created.length, 1);
    assert.deepEqual(FakeClient.created[0].notifications, [
      { type: DID_CHANGE, params: { settings: { amplifyLsp: { docsPlatform: 'swift', logLevel: 'info', syntaxErrors: false } } } },
    ]);
  });

  test('changing server.path restarts with the new binary', async () => {
    world.user['amplifyLsp.server.path'] = serverA;
    await activate();
    changeSetting('amplifyLsp.server.path', serverB);
    await tick();
    assert.equal(FakeClient.created.length, 2);
    assert.ok(FakeClient.created[0].stopped);
    assert.equal(FakeClient.created[1].serverOptions.command, serverB);
  });

  test('trace.server changes are left to the client library', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    await activate();
    changeSetting('amplifyLsp.trace.server', 'verbose');
    await tick();
    assert.equal(FakeClient.created.length, 1);
    assert.deepEqual(FakeClient.created[0].notifications, []);
  });

  test('Restart Server stops the client and starts a new one', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    await activate();
    await world.commands.get('amplifyLsp.restartServer')?.();
    assert.equal(FakeClient.created.length, 2);
    assert.ok(FakeClient.created[0].stopped && FakeClient.created[1].started);
  });

  test('nothing found: an error message with the settings button, no client', async () => {
    await activate();
    assert.equal(FakeClient.created.length, 0);
    assert.equal(world.errors.length, 1);
    assert.match(world.errors[0].message, /not found.*cargo install/s);
    assert.deepEqual(world.errors[0].items, ['Open Settings', 'Show Output']);
  });

  test('Open Settings shows amplifyLsp.server.path by id in a local window', async () => {
    world.choice = 'Open Settings';
    await activate();
    await tick();
    assert.deepEqual(world.executed, [['workbench.action.openSettings', { query: '@id:amplifyLsp.server.path' }]]);
  });

  test('Open Settings opens the Remote settings in a remote window (code-server, SSH, WSL)', async () => {
    world.choice = 'Open Settings';
    world.remoteName = 'ssh-remote';
    await activate();
    await tick();
    assert.deepEqual(world.executed, [['workbench.action.openRemoteSettings', { query: '@id:amplifyLsp.server.path' }]]);
  });

  test('the client writes through the log adapter: one level, a normal exit is not an error', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    await activate();
    const out = FakeClient.created[0].clientOptions.outputChannel;
    out.appendLine('[Error - 3:15:02 PM] Server process exited with code 0.');
    out.appendLine('[Warn  - 3:15:02 PM] careful');
    assert.deepEqual(world.logged.slice(-2), [
      'Amplify LSP [info] Server process exited with code 0.',
      'Amplify LSP [warn] careful',
    ]);
  });

  test('completion.hideTypeScriptDuplicates goes to initializationOptions and reconfigures', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    world.user['amplifyLsp.completion.hideTypeScriptDuplicates'] = false;
    await activate();
    const c = FakeClient.created[0];
    assert.deepEqual(c.clientOptions.initializationOptions, {
      docsPlatform: 'vue',
      logLevel: 'info',
      syntaxErrors: false,
      completion: { hideTypeScriptDuplicates: false },
    });
    changeSetting('amplifyLsp.completion.hideTypeScriptDuplicates', true);
    await tick();
    assert.equal(FakeClient.created.length, 1, 'restarted instead of reconfiguring');
    assert.deepEqual(c.notifications.at(-1)?.params, {
      settings: {
        amplifyLsp: { docsPlatform: 'vue', logLevel: 'info', syntaxErrors: false, completion: { hideTypeScriptDuplicates: true } },
      },
    });
  });

  test('a wrong AMPLIFY_LSP_PATH is reported as such', async () => {
    process.env.AMPLIFY_LSP_PATH = path.join(bin, 'missing');
    await activate();
    assert.equal(FakeClient.created.length, 0);
    assert.match(world.errors[0]?.message ?? '', /AMPLIFY_LSP_PATH .* does not exist/);
  });

  test('an old server version is refused', async () => {
    process.env.AMPLIFY_LSP_PATH = fakeServer('old', '0.0.1');
    await activate();
    assert.equal(FakeClient.created.length, 0);
    assert.match(world.errors[0]?.message ?? '', /needs 0\.1\.0 or newer/);
  });

  test('no Amplify backend: nothing starts until a file under amplify/ is opened', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    world.amplifyOnDisk = false;
    await activate();
    assert.equal(FakeClient.created.length, 0);
    for (const l of world.onOpen) l({ languageId: 'typescript', uri: { fsPath: '/home/dev/app/src/main.ts' } });
    await tick();
    assert.equal(FakeClient.created.length, 0, 'started for a file outside amplify/');
    for (const l of world.onOpen) l({ languageId: 'typescript', uri: { fsPath: '/home/dev/app/amplify/data/resource.ts' } });
    await tick();
    assert.equal(FakeClient.created.length, 1);
  });

  test('a backend file opened without amplify/backend.ts on disk: backend filters only, no frontend', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    world.amplifyOnDisk = false;
    await activate();
    for (const l of world.onOpen) l({ languageId: 'typescript', uri: { fsPath: '/home/dev/app/amplify/auth/resource.ts' } });
    await tick();
    assert.equal(FakeClient.created.length, 1);
    const patterns = (FakeClient.created[0].clientOptions.documentSelector as Array<{ pattern: string }>).map((f) => f.pattern);
    assert.deepEqual(patterns, ['**/amplify/**', '**/amplify/**']);
  });

  describe('amplify/backend.ts appearing or going away (file watcher, workspace folders)', () => {
    const frontendPatterns = () =>
      [...new Set((FakeClient.created.at(-1)?.clientOptions.documentSelector as Array<{ pattern: string }>).map((f) => f.pattern))].filter(
        (p) => p !== '**/amplify/**',
      );

    test('watches amplify/backend.ts', async () => {
      process.env.AMPLIFY_LSP_PATH = serverA;
      await activate();
      assert.deepEqual(world.watched, ['**/amplify/backend.ts']);
    });

    test('a new backend in a workspace without one starts the server, with that project served', async () => {
      process.env.AMPLIFY_LSP_PATH = serverA;
      world.amplifyOnDisk = false;
      await activate();
      assert.equal(FakeClient.created.length, 0);
      world.amplifyOnDisk = true;
      for (const l of world.onBackendCreated) l({ fsPath: '/home/dev/app/amplify/backend.ts' });
      await tick();
      assert.equal(FakeClient.created.length, 1);
      assert.deepEqual(frontendPatterns(), ['/home/dev/app/**']);
    });

    test('a second project restarts with both roots; an event that changes nothing does not restart', async () => {
      process.env.AMPLIFY_LSP_PATH = serverA;
      await activate();
      assert.equal(FakeClient.created.length, 1);
      for (const l of world.onBackendCreated) l({ fsPath: '/home/dev/app/amplify/backend.ts' });
      await tick();
      assert.equal(FakeClient.created.length, 1, 'restarted although the roots are the same');
      world.backends.push('/home/dev/app/packages/shop/amplify/backend.ts');
      for (const l of world.onFolders) l({ added: [], removed: [] });
      await tick();
      assert.equal(FakeClient.created.length, 2);
      assert.ok(FakeClient.created[0].stopped);
      assert.deepEqual(frontendPatterns(), ['/home/dev/app/**', '/home/dev/app/packages/shop/**']);
      world.backends = [];
      for (const l of world.onBackendDeleted) l({ fsPath: '/home/dev/app/amplify/backend.ts' });
      await tick();
      assert.equal(FakeClient.created.length, 3);
      assert.deepEqual(frontendPatterns(), [], 'frontend files still sent after the last backend went away');
    });
  });

  test('workspace/configuration for amplifyLsp is answered with the cleaned settings', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    world.user['amplifyLsp.logLevel'] = 'loud';
    await activate();
    const mw = FakeClient.created[0].clientOptions.middleware.workspace;
    const answer = await mw.configuration({ items: [{ section: 'amplifyLsp' }, { section: 'editor' }] }, undefined, async () => [
      { raw: true },
      { tabSize: 2 },
    ]);
    assert.deepEqual(answer, [{ docsPlatform: 'vue', syntaxErrors: false }, { tabSize: 2 }]);
  });

  describe('project-local server (node_modules/.bin/amplify-lsp)', () => {
    /** A workspace folder whose node_modules/.bin holds a fake server of `version`. */
    function projectWith(name: string, version: string): string {
      const folder = path.join(bin, name);
      fakeServer(path.join(name, 'node_modules', '.bin', 'amplify-lsp'), version);
      return folder;
    }

    test('is started in a trusted workspace; another version than the extension is reported once', async () => {
      world.folder = projectWith('proj-newer', '0.2.0');
      await activate();
      assert.equal(FakeClient.created[0]?.serverOptions.command, path.join(world.folder, 'node_modules', '.bin', 'amplify-lsp'));
      assert.equal(world.warnings.length, 1);
      assert.match(world.warnings[0], /version 0\.2\.0, this extension is version 0\.1\.0/);
      assert.ok(world.logged.some((l) => l.includes('[warn]') && l.includes('0.2.0')));
      await world.commands.get('amplifyLsp.restartServer')?.();
      assert.equal(FakeClient.created.length, 2);
      assert.equal(world.warnings.length, 1, 'not again after a restart');
    });

    test('the same version as the extension: no warning', async () => {
      world.folder = projectWith('proj-same', '0.1.0');
      await activate();
      assert.equal(FakeClient.created[0]?.serverOptions.command, path.join(world.folder, 'node_modules', '.bin', 'amplify-lsp'));
      assert.deepEqual(world.warnings, []);
    });

    test('untrusted: the server on PATH is used; granting trust restarts with the project one', async () => {
      world.folder = projectWith('proj-untrusted', '0.1.0');
      const onPath = fakeServer(path.join('pathdir', 'amplify-lsp'));
      process.env.PATH = path.dirname(onPath);
      world.trusted = false;
      await activate();
      assert.equal(FakeClient.created[0]?.serverOptions.command, onPath);
      assert.ok(world.logged.some((l) => /not used because the workspace is not trusted/.test(l)));
      world.trusted = true;
      for (const l of world.onTrust) l(undefined);
      await tick();
      assert.equal(FakeClient.created.length, 2);
      assert.equal(FakeClient.created[1].serverOptions.command, path.join(world.folder, 'node_modules', '.bin', 'amplify-lsp'));
    });
  });

  test('deactivate stops the client', async () => {
    process.env.AMPLIFY_LSP_PATH = serverA;
    const { ext } = await activate();
    await ext.deactivate();
    assert.ok(FakeClient.created[0].stopped);
  });
});
