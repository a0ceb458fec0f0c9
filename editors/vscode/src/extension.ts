import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ENV_VAR,
  type Exec,
  type FileSystem,
  findServer,
  projectServerPath,
  SETTING,
  versionMismatchWarning,
} from './discovery';
import { ClientLogChannel } from './log';
import { backendSelector, documentSelector, projectRoots } from './selector';
import {
  classifyChange,
  type RawSettings,
  SECTION,
  toDidChangeConfigurationParams,
  toInitializationOptions,
} from './settings';

const execFileAsync = promisify(execFile);
const exec: Exec = async (file, args) => {
  const { stdout, stderr } = await execFileAsync(file, args, { timeout: 10_000, windowsHide: true });
  return { stdout: String(stdout), stderr: String(stderr) };
};
const nodeFs: FileSystem = {
  isFile(p) {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
};

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
/** What the language client writes to: `output` at the right level, one timestamp (see log.ts). */
let clientOutput: ClientLogChannel;
let traceOutput: vscode.OutputChannel;
let extensionPath = '';
/** This extension's version (package.json), compared with a project-local server's. */
let extensionVersion: string | undefined;
/** Project-local servers whose other version was already reported (see versionMismatchWarning). */
const mismatchReported = new Set<string>();
/** Set once an Amplify file is around; until then settings changes do not start anything. */
let wanted = false;

/** Decides when to start: a TypeScript file under an `amplify/` folder (see selector.ts). */
const BACKEND_SELECTOR = backendSelector();
/** The Amplify project roots the running client's selector was built for (see backendsChanged). */
let servedRoots: string[] = [];
/** Serialises start / stop / restart so that quick setting changes never race. */
let queue: Promise<void> = Promise.resolve();

function enqueue(job: () => Promise<void>): Promise<void> {
  queue = queue.then(job, job).catch((e) => output.error(`Amplify LSP: ${String(e)}`));
  return queue;
}

function readSettings(): RawSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    docsPlatform: c.get('docsPlatform'),
    logLevel: c.get('logLevel'),
    syntaxErrors: c.get('syntaxErrors'),
    maxFileSize: c.get('maxFileSize'),
    hideTypeScriptDuplicates: c.get('completion.hideTypeScriptDuplicates'),
  };
}

function readServerPathSetting(): { user?: string; workspace?: string } {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<string>('server.path');
  return { user: i?.globalValue, workspace: i?.workspaceFolderValue ?? i?.workspaceValue };
}

/** Every `amplify/backend.ts` of the workspace, outside node_modules. */
async function backendFiles(): Promise<string[]> {
  const hits = await vscode.workspace.findFiles('**/amplify/backend.ts', '**/node_modules/**');
  return hits.map((u) => u.fsPath);
}

async function start(): Promise<void> {
  const backends = await backendFiles();
  servedRoots = projectRoots(backends);
  const found = await findServer(
    {
      env: process.env,
      setting: readServerPathSetting(),
      workspaceTrusted: vscode.workspace.isTrusted,
      extensionPath,
      platform: process.platform,
      homeDir: os.homedir(),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    },
    nodeFs,
    exec,
  );
  for (const note of found.notes) output.info(note);
  if (!found.ok) {
    output.error(found.message);
    void offerHelp(found.message, found.blame);
    return;
  }
  output.info(`Starting amplify-lsp ${found.version} from ${found.candidate.label}`);
  const mismatch = extensionVersion && versionMismatchWarning(extensionVersion, found, mismatchReported);
  if (mismatch) {
    output.warn(mismatch);
    void vscode.window.showWarningMessage(mismatch);
  }

  const init = toInitializationOptions(readSettings());
  for (const w of init.warnings) output.warn(w);

  const serverOptions: ServerOptions = {
    command: found.candidate.path,
    args: ['--stdio'],
    options: { env: { ...process.env } },
  };
  const clientOptions: LanguageClientOptions = {
    // Backend files anywhere under amplify/, frontend files only below an Amplify project root.
    documentSelector: documentSelector(backends),
    initializationOptions: init.settings,
    // Not `output` itself: the client formats lines for a plain channel (see log.ts).
    outputChannel: clientOutput as unknown as vscode.OutputChannel,
    traceOutputChannel: traceOutput,
    middleware: {
      workspace: {
        // If the server asks for its settings (`workspace/configuration`), answer with the same
        // cleaned-up object it gets in `initializationOptions`, not the raw section.
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) return answer;
          return params.items.map((item, i) =>
            item.section === SECTION ? toDidChangeConfigurationParams(readSettings()).settings[SECTION] : answer[i],
          );
        },
      },
    },
  };
  const c = new LanguageClient('amplifyLsp', 'Amplify LSP', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (e) {
    output.error(`amplify-lsp failed to start: ${String(e)}`);
    void offerHelp(`Amplify LSP: the server failed to start (${String(e)}).`, undefined);
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c === undefined) return;
  try {
    await c.stop(5_000);
  } catch (e) {
    output.warn(`stopping amplify-lsp: ${String(e)}`);
  }
}

async function offerHelp(message: string, blame: 'env' | 'setting' | undefined): Promise<void> {
  const openSettings = 'Open Settings';
  const showOutput = 'Show Output';
  const actions = blame === 'env' ? [showOutput] : [openSettings, showOutput];
  const detail = blame === 'env' ? ` (${ENV_VAR} is read when VS Code starts: restart VS Code after changing it.)` : '';
  const choice = await vscode.window.showErrorMessage(message + detail, ...actions);
  if (choice === openSettings) await openServerPathSetting();
  else if (choice === showOutput) output.show(true);
}

/**
 * Opens the settings editor on `amplifyLsp.server.path`. In a remote window (code-server,
 * Remote-SSH, WSL, Dev Containers) the server runs on the remote machine, and a
 * `machine-overridable` setting is not listed under the local User settings (the editor said "No
 * Settings Found"): open the Remote settings there.
 */
export async function openServerPathSetting(): Promise<void> {
  const query = `@id:${SETTING}`;
  for (const [id, args] of settingsCommands(vscode.env.remoteName, query)) {
    try {
      await vscode.commands.executeCommand(id, args);
      return;
    } catch (e) {
      output.warn(`${id}: ${String(e)}`);
    }
  }
}

/** The commands to try, in order, to show a setting: remote settings first in a remote window. */
export function settingsCommands(remoteName: string | undefined, query: string): Array<[string, unknown]> {
  const local: [string, unknown] = ['workbench.action.openSettings', { query }];
  return remoteName ? [['workbench.action.openRemoteSettings', { query }], local] : [local];
}

/**
 * Activation: `workspaceContains:amplify/backend.ts` is a plain stat in each workspace folder;
 * `workspaceContains:**\/amplify/backend.ts` is a file search that VS Code gives up after 7 s in a
 * large workspace, without activating. So the extension also wakes on the languages it serves,
 * whichever file is opened first (a frontend .tsx or .js included), and decides here: start the
 * server only when the workspace has `amplify/backend.ts` (this search has no time limit) or a
 * file under `amplify/` is open, so a plain TypeScript or JavaScript project never sees a
 * "server not found" message.
 */
async function amplifyPresent(): Promise<boolean> {
  if (vscode.workspace.textDocuments.some((d) => vscode.languages.match(BACKEND_SELECTOR, d) > 0)) return true;
  const hits = await vscode.workspace.findFiles('**/amplify/backend.ts', '**/node_modules/**', 1);
  return hits.length > 0;
}

function startWhenWanted(): Promise<void> {
  wanted = true;
  return enqueue(start);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * An `amplify/backend.ts` appeared or went away, or the workspace folders changed. Before anything
 * started, a new backend starts the server. Afterwards the client's selector (fixed when the client
 * is created) is rebuilt by a restart, but only when the set of project roots really changed.
 */
function backendsChanged(): Promise<void> {
  return enqueue(async () => {
    const roots = projectRoots(await backendFiles());
    if (!wanted) {
      if (roots.length === 0) return;
      wanted = true;
      output.info(`Amplify backend found in ${roots.join(', ')}: starting the server`);
      await start();
      return;
    }
    if (client === undefined || sameList(roots, servedRoots)) return;
    output.info(`Amplify projects are now ${roots.length ? roots.join(', ') : '(none)'}: restarting the server`);
    await stop();
    await start();
  });
}

function reconfigure(): void {
  if (client === undefined || !client.isRunning()) return;
  const params = toDidChangeConfigurationParams(readSettings());
  void client.sendNotification(DidChangeConfigurationNotification.type, params);
  output.info(`Sent new settings to the server: ${JSON.stringify(params.settings[SECTION])}`);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  extensionVersion = (context.extension?.packageJSON as { version?: string } | undefined)?.version;
  output = vscode.window.createOutputChannel('Amplify LSP', { log: true });
  clientOutput = new ClientLogChannel(output);
  traceOutput = vscode.window.createOutputChannel('Amplify LSP Trace');
  context.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand('amplifyLsp.restartServer', () =>
      enqueue(async () => {
        wanted = true;
        output.info('Restarting the server');
        await stop();
        await start();
      }),
    ),
    vscode.commands.registerCommand('amplifyLsp.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!wanted) return;
      switch (classifyChange((s) => e.affectsConfiguration(s))) {
        case 'restart':
          void enqueue(async () => {
            output.info(`${SETTING} changed: restarting the server`);
            await stop();
            await start();
          });
          break;
        case 'reconfigure':
          void enqueue(async () => reconfigure());
          break;
        case 'none':
          break;
      }
    }),
    // A workspace value of the server path, and the project's own amplify-lsp from npm, only
    // count once the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const project = projectServerPath({
        workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
        platform: process.platform,
      });
      if (wanted && (readServerPathSetting().workspace || (project !== undefined && nodeFs.isFile(project))))
        void enqueue(async () => {
          await stop();
          await start();
        });
    }),
  );
  const backendWatcher = vscode.workspace.createFileSystemWatcher('**/amplify/backend.ts', false, true, false);
  context.subscriptions.push(
    backendWatcher,
    backendWatcher.onDidCreate(() => void backendsChanged()),
    backendWatcher.onDidDelete(() => void backendsChanged()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void backendsChanged()),
  );
  if (await amplifyPresent()) {
    await startWhenWanted();
    return;
  }
  const waiting = vscode.workspace.onDidOpenTextDocument((d) => {
    if (wanted || vscode.languages.match(BACKEND_SELECTOR, d) === 0) return;
    waiting.dispose();
    void startWhenWanted();
  });
  context.subscriptions.push(waiting);
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}
