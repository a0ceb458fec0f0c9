// Checks editors/helix/languages.toml: the server entry, its command, root patterns and the
// language wiring, and replays how Helix 25.07.1 decides whether to start a server (read from its
// source at tag 25.07.1; no code copied):
//
// * helix-loader/src/lib.rs, find_workspace (lines 238-258): the workspace is the first ancestor of
//   the current directory holding .git, .svn, .jj or .helix; with none, the current directory
//   itself, flagged "workspace is cwd".
// * helix-lsp/src/lib.rs, find_lsp_workspace (lines 943-1000): for a file outside the workspace there
//   is no root. Otherwise walk up from the file's folder; remember the topmost folder that holds one
//   of the language's `roots` markers (typescript: package.json, tsconfig.json); at a
//   `workspace-lsp-roots` folder stop and return that topmost marker folder (or the workspace); at
//   the workspace stop and return the topmost marker folder, else the workspace unless the
//   workspace is the cwd (then no root).
// * helix-lsp/src/lib.rs, start_client (lines 865-899): no root means the workspace is used; with
//   `required-root-patterns`, the server starts only if one glob matches the *name* of an entry
//   directly inside that folder (read_dir, not recursive); otherwise it is silently not started
//   (StartupError::NoRequiredRootFound, lines 653 and 721).
// * helix-lsp/src/client.rs, try_add_doc (lines 68-100): a later file reuses a running client of the
//   same root; the patterns are checked only when a client starts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { parse } from 'smol-toml';

const here = path.dirname(fileURLToPath(import.meta.url));
const helixDir = path.resolve(here, '..');
const editors = path.resolve(helixDir, '..');
const fixture = path.join(editors, 'fixtures', 'project');
const source = readFileSync(path.join(helixDir, 'languages.toml'), 'utf8');
const config = parse(source);

// From the Helix book (languages.md, "Configuring Language Servers for a language").
const HELIX_FEATURES = new Set([
  'format',
  'goto-definition',
  'goto-declaration',
  'goto-type-definition',
  'goto-reference',
  'goto-implementation',
  'signature-help',
  'hover',
  'document-highlight',
  'completion',
  'code-action',
  'workspace-command',
  'document-symbols',
  'workspace-symbols',
  'diagnostics',
  'rename-symbol',
  'inlay-hints',
  'document-colors',
]);
// Helix's built-in `roots` for typescript and tsx, javascript and jsx (languages.toml in the Helix
// repository).
const TYPESCRIPT_ROOTS = ['package.json', 'tsconfig.json'];
const JAVASCRIPT_ROOTS = ['package.json', 'jsconfig.json'];
/** The `roots` of the language Helix picks for a file (by extension, Helix's `file-types`). */
const rootsFor = (file) => (/\.(c|m)?jsx?$/.test(file) ? JAVASCRIPT_ROOTS : TYPESCRIPT_ROOTS);
const OURS = ['completion', 'hover', 'diagnostics', 'code-action'];

const server = config['language-server']?.['amplify-lsp'];
const entryName = (e) => (typeof e === 'string' ? e : e.name);

describe('helix languages.toml', () => {
  test('[language-server.amplify-lsp]: command, args, required-root-patterns', () => {
    assert.ok(server, 'no [language-server.amplify-lsp] table');
    // `sh -c SCRIPT amplify-lsp --stdio`: the script picks the binary, "amplify-lsp" is its $0 and
    // --stdio is passed on (see "project-local server" below).
    assert.equal(server.command, 'sh');
    assert.equal(server.args.length, 4);
    assert.equal(server.args[0], '-c');
    assert.equal(server.args[2], 'amplify-lsp');
    assert.deepEqual(server.args.slice(3), ['--stdio']);
    const patterns = server['required-root-patterns'];
    assert.ok(Array.isArray(patterns) && patterns.includes('amplify'), 'required-root-patterns must contain "amplify"');
    // The amplify/ folder itself, and a resource folder, as the root (hx started inside them).
    assert.ok(patterns.includes('backend.ts'), 'required-root-patterns must contain "backend.ts"');
    assert.ok(patterns.includes('resource.ts'), 'required-root-patterns must contain "resource.ts"');
    for (const p of patterns) {
      // A pattern with a slash can never match: Helix compares against single file names.
      assert.ok(!p.includes('/'), `required-root-patterns entry ${JSON.stringify(p)} contains "/" and would never match`);
    }
    const allowed = new Set(['command', 'args', 'config', 'environment', 'timeout', 'required-root-patterns']);
    for (const key of Object.keys(server)) assert.ok(allowed.has(key), `unknown key ${key}`);
  });

  test('config (initializationOptions) uses only keys and values the server knows', () => {
    const cfg = server.config ?? {};
    const platforms = ['react', 'nextjs', 'vue', 'angular', 'javascript', 'react-native', 'flutter', 'swift', 'android'];
    for (const [k, v] of Object.entries(cfg)) {
      assert.ok(['docsPlatform', 'logLevel', 'syntaxErrors', 'maxFileSize'].includes(k), `unknown config key ${k}`);
      if (k === 'docsPlatform') assert.ok(platforms.includes(v), `docsPlatform ${v}`);
      if (k === 'logLevel') assert.ok(['error', 'warn', 'info', 'debug', 'trace'].includes(v));
      if (k === 'syntaxErrors') assert.equal(typeof v, 'boolean');
      if (k === 'maxFileSize') assert.ok(Number.isInteger(v) && v > 0);
    }
  });

  test('the server is added to typescript, tsx, javascript and jsx, nothing else', () => {
    const withUs = (config.language ?? []).filter((l) => l['language-servers'].map(entryName).includes('amplify-lsp'));
    assert.deepEqual(withUs.map((l) => l.name).sort(), ['javascript', 'jsx', 'tsx', 'typescript']);
  });

  for (const lang of ['typescript', 'tsx', 'javascript', 'jsx']) {
    test(`[[language]] ${lang}: typescript-language-server first with all features, amplify-lsp limited`, () => {
      const entries = (config.language ?? []).filter((l) => l.name === lang);
      assert.equal(entries.length, 1, `expected one [[language]] for ${lang}`);
      const l = entries[0];
      // Only the server list is overridden: roots, file-types etc. stay Helix's defaults.
      assert.deepEqual(Object.keys(l).sort(), ['language-servers', 'name']);
      const servers = l['language-servers'];
      assert.deepEqual(servers.map(entryName), ['typescript-language-server', 'amplify-lsp']);

      const ts = servers[0];
      assert.ok(
        typeof ts === 'string' || (!ts['only-features'] && !ts['except-features']),
        'typescript-language-server must keep all its features',
      );

      const ours = servers[1];
      assert.equal(typeof ours, 'object');
      assert.deepEqual([...ours['only-features']].sort(), [...OURS].sort());
      assert.equal(ours['except-features'], undefined, 'use only-features, not both');
      for (const f of ours['only-features']) assert.ok(HELIX_FEATURES.has(f), `${f} is not a Helix feature name`);
    });
  }

  test('every language server a language uses is defined here or built into Helix', () => {
    for (const l of config.language ?? []) {
      for (const e of l['language-servers']) {
        const name = entryName(e);
        assert.ok(name === 'typescript-language-server' || config['language-server']?.[name], `${name} undefined`);
      }
    }
  });
});

// --- Replaying Helix's start decision (see the top of the file) --------------------------------

const VCS_MARKERS = ['.git', '.svn', '.jj', '.helix'];
const exists = (p) => {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
};

/** helix-loader find_workspace: [workspace, workspaceIsCwd] for a current directory. */
function findWorkspace(cwd) {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (VCS_MARKERS.some((m) => exists(path.join(dir, m)))) return [dir, false];
    if (path.dirname(dir) === dir) return [cwd, true];
  }
}

/** helix-lsp find_lsp_workspace: the root folder, or undefined (no root). */
function findLspWorkspace(fileDir, markers, rootDirs, workspace, workspaceIsCwd) {
  if (fileDir !== workspace && !fileDir.startsWith(workspace + path.sep)) return undefined;
  let topMarker;
  for (let dir = fileDir; ; dir = path.dirname(dir)) {
    if (markers.some((m) => exists(path.join(dir, m)))) topMarker = dir;
    if (rootDirs.some((r) => path.resolve(workspace, r) === dir)) return topMarker ?? workspace;
    if (dir === workspace) return topMarker ?? (workspaceIsCwd ? undefined : workspace);
    if (path.dirname(dir) === dir) return undefined; // not reached: the workspace is an ancestor
  }
}

/** The folder Helix gives the server as its root, for `file` opened with `hx` started in `cwd`. */
function helixRoot(file, cwd, rootDirs = []) {
  const [workspace, isCwd] = findWorkspace(cwd);
  return findLspWorkspace(path.dirname(file), rootsFor(file), rootDirs, workspace, isCwd) ?? workspace;
}

/** helix-lsp start_client: whether amplify-lsp starts, and the root it gets. */
function helixStart(file, cwd, rootDirs = []) {
  const root = helixRoot(file, cwd, rootDirs);
  const patterns = server['required-root-patterns'];
  const starts = readdirSync(root).some((name) => patterns.some((p) => minimatch(name, p, { dot: true })));
  return { root, starts };
}

/** A scratch copy of the fixture project (with amplify/package.json, like `npm create amplify`). */
function scratchProject({ git = false, parent } = {}) {
  const base = parent ?? realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-root-')));
  const project = path.join(base, 'app');
  cpSync(fixture, project, { recursive: true });
  if (git) mkdirSync(path.join(project, '.git'));
  return { base, project };
}

test('editors/README.md shows the same configuration as languages.toml', () => {
  const readme = readFileSync(path.join(editors, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > 0, 'no toml block in editors/README.md');
  assert.ok(
    blocks.some((b) => JSON.stringify(parse(b)) === JSON.stringify(config)),
    'no toml block in editors/README.md equals editors/helix/languages.toml (comments aside)',
  );
});

describe('helix start decision (replayed from Helix 25.07.1)', () => {
  const storage = (project) => path.join(project, 'amplify', 'storage', 'resource.ts');

  test('hx started in the project (git or not), or in a parent folder: root = the project, starts', () => {
    for (const git of [false, true]) {
      const { base, project } = scratchProject({ git });
      for (const rel of ['amplify/storage/resource.ts', 'amplify/functions/say-hello/resource.ts', 'amplify/backend.ts']) {
        const file = path.join(project, rel);
        assert.deepEqual(helixStart(file, project), { root: project, starts: true }, `${rel}, cwd = project, git ${git}`);
        assert.deepEqual(helixStart(file, base), { root: project, starts: true }, `${rel}, cwd = parent, git ${git}`);
      }
    }
  });

  test('hx started inside amplify/ of a git project: root = the project, starts', () => {
    const { project } = scratchProject({ git: true });
    assert.deepEqual(helixStart(storage(project), path.join(project, 'amplify')), { root: project, starts: true });
  });

  test('hx started inside amplify/ without git: root = the amplify/ folder itself, starts (backend.ts)', () => {
    // amplify/package.json is the topmost marker below the workspace (= the cwd); "amplify" alone
    // never matched here, which is why the server silently did not start.
    const { project } = scratchProject();
    const amplify = path.join(project, 'amplify');
    const r = helixStart(storage(project), amplify);
    assert.equal(r.root, amplify);
    assert.equal(r.starts, true, 'required-root-patterns must match an entry of the amplify/ folder (backend.ts)');
  });

  test('hx started in amplify/storage/ without git: root = that folder, starts (resource.ts)', () => {
    const { project } = scratchProject();
    const dir = path.join(project, 'amplify', 'storage');
    assert.deepEqual(helixStart(storage(project), dir), { root: dir, starts: true });
  });

  test('file opened by absolute path from a folder outside the project: root = that folder, cannot start', () => {
    // The file is outside the workspace, so Helix gives every server the workspace (the current
    // folder) as its root: no pattern can tell it apart from any other folder. The README says to
    // start hx in the project, or :cd there and :lsp-restart.
    const { project } = scratchProject();
    const elsewhere = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-elsewhere-')));
    writeFileSync(path.join(elsewhere, 'notes.txt'), '');
    assert.deepEqual(helixStart(storage(project), elsewhere), { root: elsewhere, starts: false });
  });

  test('monorepo: the root is the outermost package.json folder; [editor] workspace-lsp-roots fixes it', () => {
    const mono = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-mono-')));
    mkdirSync(path.join(mono, '.git'));
    writeFileSync(path.join(mono, 'package.json'), '{}');
    mkdirSync(path.join(mono, 'apps'));
    const { project } = scratchProject({ parent: path.join(mono, 'apps') });
    const web = project; // apps/app
    assert.deepEqual(helixStart(storage(web), mono), { root: mono, starts: false }, 'without workspace-lsp-roots');
    assert.deepEqual(helixStart(storage(web), mono, ['apps/app']), { root: web, starts: true }, 'with workspace-lsp-roots');
  });

  describe('frontend files', () => {
    /** The fixture with frontend files, as `npm create amplify` leaves a React (Vite) app. */
    function frontendProject(opts) {
      const p = scratchProject(opts);
      mkdirSync(path.join(p.project, 'src', 'components'), { recursive: true });
      writeFileSync(path.join(p.project, 'src', 'App.tsx'), "import { generateClient } from 'aws-amplify/data';\n");
      writeFileSync(path.join(p.project, 'src', 'main.js'), "import { Amplify } from 'aws-amplify';\n");
      writeFileSync(path.join(p.project, 'src', 'components', 'Form.jsx'), "import { uploadData } from 'aws-amplify/storage';\n");
      writeFileSync(path.join(p.project, 'tsconfig.json'), '{}');
      mkdirSync(path.join(p.project, 'node_modules', 'x'), { recursive: true });
      writeFileSync(path.join(p.project, 'node_modules', 'x', 'package.json'), '{}');
      writeFileSync(path.join(p.project, 'node_modules', 'x', 'index.js'), '');
      return p;
    }
    const FRONTEND = ['src/App.tsx', 'src/main.js', 'src/components/Form.jsx', 'src/client.mts', 'src/setup.cjs'];

    test('hx started in the project or above it (git or not): root = the project, starts', () => {
      for (const git of [false, true]) {
        const { base, project } = frontendProject({ git });
        for (const rel of FRONTEND) {
          const file = path.join(project, rel);
          assert.deepEqual(helixStart(file, project), { root: project, starts: true }, `${rel}, cwd = project, git ${git}`);
          assert.deepEqual(helixStart(file, base), { root: project, starts: true }, `${rel}, cwd = parent, git ${git}`);
        }
      }
    });

    test('hx started in src/: starts inside a git project; without git the root is src/ and it does not', () => {
      const withGit = frontendProject({ git: true });
      const src = path.join(withGit.project, 'src');
      assert.deepEqual(helixStart(path.join(src, 'App.tsx'), src), { root: withGit.project, starts: true });
      const noGit = frontendProject();
      const src2 = path.join(noGit.project, 'src');
      assert.deepEqual(helixStart(path.join(src2, 'App.tsx'), src2), { root: src2, starts: false });
      assert.deepEqual(helixStart(path.join(src2, 'main.js'), src2), { root: src2, starts: false });
    });

    test('a JavaScript project without amplify/ (jsconfig.json or package.json): does not start', () => {
      const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-plain-js-')));
      mkdirSync(path.join(tmp, '.git'));
      mkdirSync(path.join(tmp, 'src'));
      writeFileSync(path.join(tmp, 'jsconfig.json'), '{}');
      writeFileSync(path.join(tmp, 'src', 'main.js'), "import { Amplify } from 'aws-amplify';\n");
      writeFileSync(path.join(tmp, 'src', 'App.jsx'), '');
      for (const f of ['main.js', 'App.jsx']) assert.deepEqual(helixStart(path.join(tmp, 'src', f), tmp), { root: tmp, starts: false }, f);
    });

    test('limits: node_modules files of the project start it too (the root is the topmost package.json)', () => {
      // A dependency's package.json is a marker, but the walk goes on to the topmost one: the
      // project. So a file opened from node_modules reaches the server, which ignores it.
      const { project } = frontendProject({ git: true });
      assert.deepEqual(helixStart(path.join(project, 'node_modules', 'x', 'index.js'), project), { root: project, starts: true });
    });

    test('limits: a file outside the workspace goes to the server already running for it', () => {
      // helix-lsp Client::try_add_doc: a file with no root of its own (outside the workspace) gets
      // the workspace, and a running client whose root is that folder takes it; the patterns are
      // not checked again. amplify-lsp announces no workspace folders, so a file with another
      // root gets a server of its own, which the patterns then keep from starting.
      const { base, project } = frontendProject({ git: true });
      const plain = path.join(base, 'plain');
      mkdirSync(path.join(plain, 'src'), { recursive: true });
      writeFileSync(path.join(plain, 'package.json'), '{}');
      const other = path.join(plain, 'src', 'index.ts');
      writeFileSync(other, "import { Amplify } from 'aws-amplify';\n");
      const running = helixStart(path.join(project, 'src', 'App.tsx'), project);
      assert.deepEqual(running, { root: project, starts: true });
      assert.equal(helixRoot(other, project), running.root, 'hx in the project: the outside file joins its server');
      // hx started in the parent (no git there): each has its own root; the plain one does not start.
      assert.deepEqual(helixStart(other, base), { root: plain, starts: false });
    });

    test('limits: a folder named amplify that is no Amplify Gen 2 backend matches too', () => {
      // An Amplify Gen 1 project: amplify/backend/ and amplify/team-provider-info.json, no backend.ts.
      const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-gen1-')));
      mkdirSync(path.join(tmp, 'amplify', 'backend'), { recursive: true });
      writeFileSync(path.join(tmp, 'amplify', 'team-provider-info.json'), '{}');
      writeFileSync(path.join(tmp, 'package.json'), '{}');
      mkdirSync(path.join(tmp, 'src'));
      assert.deepEqual(helixStart(path.join(tmp, 'src', 'main.js'), tmp), { root: tmp, starts: true });
    });
  });

  test('does not start in a TypeScript project without amplify/', () => {
    const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-plain-')));
    mkdirSync(path.join(tmp, 'src'));
    writeFileSync(path.join(tmp, 'package.json'), '{}');
    writeFileSync(path.join(tmp, 'src', 'main.ts'), 'export {};\n');
    assert.equal(helixStart(path.join(tmp, 'src', 'main.ts'), tmp).starts, false);
    mkdirSync(path.join(tmp, '.git'));
    assert.equal(helixStart(path.join(tmp, 'src', 'main.ts'), path.join(tmp, 'src')).starts, false);
  });
});

describe('editors/README.md Helix section', () => {
  const readme = readFileSync(path.join(editors, 'README.md'), 'utf8');
  const helix = readme.slice(readme.indexOf('## Helix'), readme.indexOf('\n## ', readme.indexOf('## Helix') + 1));

  test('workspace-lsp-roots is shown under [editor] of .helix/config.toml (Helix refuses it at the top level)', () => {
    assert.ok(helix.includes('workspace-lsp-roots'), 'the monorepo advice is missing');
    const blocks = [...helix.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => parse(m[1]));
    const withRoots = blocks.filter((b) => JSON.stringify(b).includes('workspace-lsp-roots'));
    assert.ok(withRoots.length > 0, 'no toml block with workspace-lsp-roots');
    for (const b of withRoots) {
      assert.equal(b['workspace-lsp-roots'], undefined, 'workspace-lsp-roots at the top level: Helix rejects the config');
      assert.ok(Array.isArray(b.editor?.['workspace-lsp-roots']), 'workspace-lsp-roots must be under [editor]');
    }
    // helix-term/src/config.rs ConfigRaw (deny_unknown_fields): only theme, keys, editor at the top.
    for (const b of blocks.filter((x) => !x['language-server'] && !x.language)) {
      for (const key of Object.keys(b)) assert.ok(['theme', 'keys', 'editor'].includes(key), `config.toml top-level key ${key}`);
    }
  });
});

// --- The project-local server: the `sh -c` script of languages.toml, run as Helix runs it ---------
// helix-lsp/src/client.rs (Client::start, 25.07.1) spawns `command` with `args` and the server's root
// folder as the current directory; the script is run the same way here.

describe('project-local server (the sh -c script)', { skip: process.platform === 'win32' ? 'sh' : false }, () => {
  const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-local-')));
  const script = (file, body) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  };
  // A global amplify-lsp on PATH and a project-local one that say which they are.
  const globalDir = path.join(tmp, 'global-bin');
  script(path.join(globalDir, 'amplify-lsp'), 'echo "global $*"');
  const withInstall = (name) => {
    const parent = path.join(tmp, name);
    mkdirSync(parent, { recursive: true });
    const { project } = scratchProject({ parent });
    script(path.join(project, 'node_modules', '.bin', 'amplify-lsp'), 'echo "local $*"');
    return project;
  };
  /** Runs languages.toml's command and args in `cwd`, with only `pathDirs` on PATH (plus the system's). */
  const run = (cwd, pathDirs, args = server.args) => {
    const r = spawnSync(server.command, args, {
      cwd,
      encoding: 'utf8',
      env: { PATH: [...pathDirs, '/usr/bin', '/bin'].join(':'), PWD: '/somewhere/else' },
    });
    assert.equal(r.error, undefined);
    return { status: r.status, out: r.stdout.trim(), err: r.stderr };
  };

  test('from the root Helix gives (project, amplify/, a resource folder): the project-local server, with --stdio', () => {
    const project = withInstall('a');
    for (const cwd of [project, path.join(project, 'amplify'), path.join(project, 'amplify', 'storage')]) {
      assert.deepEqual(run(cwd, [globalDir]), { status: 0, out: 'local --stdio', err: '' }, cwd);
    }
  });

  test('every root where Helix starts the server leads to the project-local one', () => {
    const project = withInstall('b');
    const file = path.join(project, 'amplify', 'storage', 'resource.ts');
    for (const cwd of [project, path.join(project, 'amplify'), path.join(project, 'amplify', 'storage')]) {
      const { root, starts } = helixStart(file, cwd);
      assert.ok(starts, `Helix starts the server for cwd ${cwd}`);
      assert.equal(run(root, [globalDir]).out, 'local --stdio', `root ${root}`);
    }
  });

  test('no install in the project (or a non-executable one): amplify-lsp from PATH', () => {
    const { project } = scratchProject({ parent: realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-noinst-'))) });
    assert.deepEqual(run(project, [globalDir]), { status: 0, out: 'global --stdio', err: '' });
    const broken = withInstall('c');
    chmodSync(path.join(broken, 'node_modules', '.bin', 'amplify-lsp'), 0o644);
    assert.equal(run(path.join(broken, 'amplify'), [globalDir]).out, 'global --stdio');
  });

  test('neither: the error names amplify-lsp', () => {
    const { project } = scratchProject({ parent: realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-none-'))) });
    const r = run(project, []);
    assert.notEqual(r.status, 0);
    assert.match(r.err, /amplify-lsp/);
  });

  test('a folder name with spaces and quotes', () => {
    const odd = path.join(tmp, `my "odd" app's dir`);
    mkdirSync(odd);
    const { project } = scratchProject({ parent: odd });
    script(path.join(project, 'node_modules', '.bin', 'amplify-lsp'), 'echo "local $*"');
    assert.equal(run(path.join(project, 'amplify'), [globalDir]).out, 'local --stdio');
  });

  test('with the real server as the project-local install', { skip: process.env.AMPLIFY_LSP_BIN ? false : 'AMPLIFY_LSP_BIN not set' }, () => {
    const { project } = scratchProject({ parent: realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-real-'))) });
    mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(path.resolve(process.env.AMPLIFY_LSP_BIN), path.join(project, 'node_modules', '.bin', 'amplify-lsp'));
    const r = run(path.join(project, 'amplify'), [globalDir], [...server.args.slice(0, 3), '--version']);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /^amplify-lsp \d+\.\d+\.\d+/);
  });
});
