// Finding the amplify-lsp executable. No `vscode` import here: the extension passes in what it
// knows (environment, settings, trust, paths) and the unit tests pass in fakes.

import * as path from 'node:path';

/** Where a candidate came from, in the order they are tried. */
export type Source = 'env' | 'setting' | 'project' | 'bundled' | 'path' | 'cargo';

export const ENV_VAR = 'AMPLIFY_LSP_PATH';
export const SETTING = 'amplifyLsp.server.path';
/** Oldest server this extension knows how to talk to. */
export const MIN_SERVER_VERSION = '0.1.0';

export interface DiscoveryInput {
  env: Record<string, string | undefined>;
  /** `amplifyLsp.server.path` split by scope (from `WorkspaceConfiguration.inspect`). */
  setting: { user?: string; workspace?: string };
  workspaceTrusted: boolean;
  /** Root of the installed extension; a bundled server lives in `<extensionPath>/server/`. */
  extensionPath: string;
  platform: NodeJS.Platform;
  homeDir: string;
  /**
   * First workspace folder, for relative paths and `${workspaceFolder}` in the setting, and where
   * a project-local install (`npm install --save-dev amplify-lsp`) is looked for.
   */
  workspaceFolder?: string;
}

export interface Candidate {
  source: Source;
  path: string;
  /** The user pointed at this file on purpose: if it is broken we say so instead of moving on. */
  explicit: boolean;
  /** How to name this candidate in messages. */
  label: string;
}

export interface FileSystem {
  /** True when `p` is an existing regular file (following symlinks). */
  isFile(p: string): boolean;
}

export type Exec = (
  file: string,
  args: string[],
) => Promise<{ stdout: string; stderr: string }>;

export interface Found {
  ok: true;
  candidate: Candidate;
  version: string;
  /** Things worth a line in the output channel (ignored settings, skipped candidates). */
  notes: string[];
}

export interface NotFound {
  ok: false;
  /** One paragraph for `showErrorMessage`: what is wrong and what to do. */
  message: string;
  /** Which setting the user should look at, if one is to blame. */
  blame?: 'env' | 'setting';
  notes: string[];
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'amplify-lsp.exe' : 'amplify-lsp';
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}`, and resolves relative paths against the workspace. */
export function expandSettingPath(
  value: string,
  input: Pick<DiscoveryInput, 'homeDir' | 'workspaceFolder' | 'platform'>,
): string | undefined {
  const p = pathApi(input.platform);
  let v = value.trim();
  if (v === '') return undefined;
  v = v.replace(/\$\{userHome\}/g, input.homeDir);
  if (v.includes('${workspaceFolder}')) {
    if (input.workspaceFolder === undefined) return undefined;
    v = v.replace(/\$\{workspaceFolder\}/g, input.workspaceFolder);
  }
  if (v === '~' || v.startsWith('~/') || v.startsWith('~\\')) v = p.join(input.homeDir, v.slice(1));
  if (!p.isAbsolute(v)) {
    if (input.workspaceFolder === undefined) return undefined;
    v = p.resolve(input.workspaceFolder, v);
  }
  return v;
}

/**
 * The server installed in the project by npm, or undefined without a workspace folder. On Linux
 * and macOS that is `node_modules/.bin/amplify-lsp`, the npm package's launcher, which runs the
 * platform package's binary. On Windows `.bin` holds only `.cmd` / `.ps1` shims, which Node cannot
 * start without a shell: there it is the binary of the win32-x64 package itself (where npm puts
 * it, at the top of node_modules).
 */
export function projectServerPath(
  input: Pick<DiscoveryInput, 'workspaceFolder' | 'platform'>,
): string | undefined {
  if (input.workspaceFolder === undefined) return undefined;
  const p = pathApi(input.platform);
  return input.platform === 'win32'
    ? p.join(input.workspaceFolder, 'node_modules', '@amplify-lsp', 'win32-x64', 'amplify-lsp.exe')
    : p.join(input.workspaceFolder, 'node_modules', '.bin', 'amplify-lsp');
}

/**
 * The candidates in the order they are tried: `AMPLIFY_LSP_PATH`, the setting (a workspace value
 * only in a trusted workspace), the project's own install from npm (only in a trusted workspace:
 * it is a file the project's contents decide), the binary bundled in the extension, every `PATH`
 * entry, and cargo's install directory (VS Code started from a desktop launcher often lacks
 * `~/.cargo/bin` in `PATH`).
 */
export function candidates(input: DiscoveryInput): { list: Candidate[]; notes: string[] } {
  const p = pathApi(input.platform);
  const exe = executableName(input.platform);
  const list: Candidate[] = [];
  const notes: string[] = [];

  const envValue = input.env[ENV_VAR];
  if (envValue !== undefined && envValue.trim() !== '') {
    const resolved = p.isAbsolute(envValue.trim()) ? envValue.trim() : p.resolve(envValue.trim());
    list.push({ source: 'env', path: resolved, explicit: true, label: `${ENV_VAR} (${resolved})` });
  }

  const ws = input.setting.workspace?.trim() ? input.setting.workspace : undefined;
  const user = input.setting.user?.trim() ? input.setting.user : undefined;
  let settingValue: string | undefined;
  if (ws !== undefined && input.workspaceTrusted) settingValue = ws;
  else {
    if (ws !== undefined)
      notes.push(
        `${SETTING} from the workspace (${ws}) is ignored because the workspace is not trusted`,
      );
    settingValue = user;
  }
  if (settingValue !== undefined) {
    const expanded = expandSettingPath(settingValue, input);
    if (expanded === undefined)
      notes.push(`${SETTING} (${settingValue}) is relative but there is no workspace folder; ignored`);
    else list.push({ source: 'setting', path: expanded, explicit: true, label: `${SETTING} (${expanded})` });
  }

  const project = projectServerPath(input);
  if (project !== undefined && input.workspaceTrusted)
    list.push({ source: 'project', path: project, explicit: false, label: `the project's amplify-lsp (${project})` });

  const bundled = p.join(input.extensionPath, 'server', exe);
  list.push({ source: 'bundled', path: bundled, explicit: false, label: `the bundled server (${bundled})` });

  const pathVar = input.env.PATH ?? input.env.Path ?? '';
  const delimiter = input.platform === 'win32' ? ';' : ':';
  const seen = new Set<string>();
  for (const dir of pathVar.split(delimiter)) {
    const d = dir.trim().replace(/^"(.*)"$/, '$1');
    if (d === '' || !p.isAbsolute(d)) continue;
    const full = p.join(d, exe);
    if (seen.has(full)) continue;
    seen.add(full);
    list.push({ source: 'path', path: full, explicit: false, label: `PATH (${full})` });
  }

  const cargoHome = input.env.CARGO_HOME?.trim() || p.join(input.homeDir, '.cargo');
  const cargoBin = p.join(cargoHome, 'bin', exe);
  if (!seen.has(cargoBin))
    list.push({ source: 'cargo', path: cargoBin, explicit: false, label: `cargo's bin directory (${cargoBin})` });

  return { list, notes };
}

/** `amplify-lsp 1.2.3` (optionally `v1.2.3`, pre-release / build suffixes) -> `1.2.3...`. */
export function parseVersion(stdout: string): string | undefined {
  const m = /^amplify-lsp\s+v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\s*$/m.exec(stdout.trim());
  return m ? m[1] : undefined;
}

/** Compares the numeric core of two versions; -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const core = (v: string) => v.split(/[-+]/)[0].split('.').map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [core(a), core(b)];
  for (let i = 0; i < 3; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  }
  return 0;
}

export type VersionCheck = { ok: true; version: string } | { ok: false; problem: string };

/** Runs `<path> --version` and checks that it is an amplify-lsp this extension can use. */
export async function checkVersion(file: string, exec: Exec): Promise<VersionCheck> {
  let out: { stdout: string; stderr: string };
  try {
    out = await exec(file, ['--version']);
  } catch (e) {
    const err = e as { message?: string; stderr?: string };
    const detail = (err.stderr?.trim() || err.message || String(e)).split('\n')[0];
    return { ok: false, problem: `running \`${file} --version\` failed: ${detail}` };
  }
  const version = parseVersion(out.stdout);
  if (version === undefined) {
    const got = out.stdout.trim().split('\n')[0] || '(nothing)';
    return {
      ok: false,
      problem: `\`${file} --version\` printed ${JSON.stringify(got)} instead of "amplify-lsp <version>"; is it the amplify-lsp server?`,
    };
  }
  if (compareVersions(version, MIN_SERVER_VERSION) < 0) {
    return {
      ok: false,
      problem: `${file} is amplify-lsp ${version}, but this extension needs ${MIN_SERVER_VERSION} or newer`,
    };
  }
  return { ok: true, version };
}

export const INSTALL_HINT =
  'Install it in the project with `npm install --save-dev amplify-lsp`, ' +
  'or with `cargo install --locked --path server` from a checkout of amplify-lsp (the binary lands in ~/.cargo/bin), ' +
  `or point the \`${SETTING}\` setting or the ${ENV_VAR} environment variable at the executable.`;

/**
 * Walks the candidates in order and returns the first that exists and answers `--version`
 * correctly. An explicit candidate (environment variable, setting) that is missing or broken
 * stops the search with an error naming it: silently starting some other binary would hide the
 * mistake. A broken implicit candidate (bundled, PATH) is noted and skipped.
 */
export async function findServer(input: DiscoveryInput, fs: FileSystem, exec: Exec): Promise<Found | NotFound> {
  const { list, notes } = candidates(input);
  const project = projectServerPath(input);
  if (project !== undefined && !input.workspaceTrusted && fs.isFile(project))
    notes.push(`the project's amplify-lsp (${project}) is not used because the workspace is not trusted`);
  for (const c of list) {
    if (!fs.isFile(c.path)) {
      if (c.explicit) {
        return {
          ok: false,
          blame: c.source === 'env' ? 'env' : 'setting',
          message: `Amplify LSP: ${c.label} does not exist. Fix the path, or clear it to use the server from the extension or PATH.`,
          notes,
        };
      }
      continue;
    }
    const check = await checkVersion(c.path, exec);
    if (check.ok) return { ok: true, candidate: c, version: check.version, notes };
    if (c.explicit) {
      return {
        ok: false,
        blame: c.source === 'env' ? 'env' : 'setting',
        message: `Amplify LSP: cannot use ${c.label}: ${check.problem}.`,
        notes,
      };
    }
    notes.push(`skipped ${c.label}: ${check.problem}`);
  }
  const skipped = notes.filter((n) => n.startsWith('skipped '));
  return {
    ok: false,
    message:
      `Amplify LSP: the amplify-lsp server was not found` +
      (skipped.length > 0 ? ` (${skipped.length} unusable candidate(s), see the output)` : '') +
      `. ${INSTALL_HINT}`,
    notes,
  };
}

/**
 * The warning for a project-local server whose version differs from the extension's, or undefined
 * when there is nothing to say. Each (server path, server version) pair is reported once per
 * session: `reported` remembers them across restarts.
 */
export function versionMismatchWarning(
  extensionVersion: string,
  found: Pick<Found, 'candidate' | 'version'>,
  reported: Set<string>,
): string | undefined {
  if (found.candidate.source !== 'project' || found.version === extensionVersion) return undefined;
  const key = `${found.candidate.path}\n${found.version}`;
  if (reported.has(key)) return undefined;
  reported.add(key);
  return (
    `Amplify LSP: the project's amplify-lsp is version ${found.version}, this extension is version ${extensionVersion}. ` +
    `The project's server is used. To make them agree, run \`npm install --save-dev amplify-lsp@${extensionVersion}\` ` +
    'in the project, or install the extension version that matches the project.'
  );
}
