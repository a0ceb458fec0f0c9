// Checks editors/helix/languages.toml: the server entry, its command, root patterns and the
// language wiring, and emulates how Helix decides whether to start a server with
// `required-root-patterns` (helix-lsp: the glob set is matched against the *names* of the entries
// directly inside the language server's root folder; that root is the outermost folder holding
// one of the language's `roots` markers, up to the workspace).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
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
// Helix's built-in `roots` for typescript and tsx (languages.toml in the Helix repository).
const TYPESCRIPT_ROOTS = ['package.json', 'tsconfig.json'];
const OURS = ['completion', 'hover', 'diagnostics', 'code-action'];

const server = config['language-server']?.['amplify-lsp'];
const entryName = (e) => (typeof e === 'string' ? e : e.name);

describe('helix languages.toml', () => {
  test('[language-server.amplify-lsp]: command, args, required-root-patterns', () => {
    assert.ok(server, 'no [language-server.amplify-lsp] table');
    assert.equal(server.command, 'amplify-lsp');
    assert.deepEqual(server.args, ['--stdio']);
    const patterns = server['required-root-patterns'];
    assert.ok(Array.isArray(patterns) && patterns.includes('amplify'), 'required-root-patterns must contain "amplify"');
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

  for (const lang of ['typescript', 'tsx']) {
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

// --- Emulating Helix's start decision --------------------------------------------------------

/** helix-lsp find_lsp_workspace: the outermost folder with a root marker, up to `workspace`. */
function lspRoot(file, workspace) {
  let top;
  let dir = path.dirname(file);
  for (;;) {
    const names = readdirSync(dir);
    if (names.some((n) => TYPESCRIPT_ROOTS.some((m) => minimatch(n, m, { dot: true })))) top = dir;
    if (dir === workspace) return top ?? workspace;
    const parent = path.dirname(dir);
    if (parent === dir) return top ?? workspace;
    dir = parent;
  }
}

function wouldStart(file, workspace) {
  const root = lspRoot(file, workspace);
  const patterns = server['required-root-patterns'];
  return readdirSync(root).some((name) => patterns.some((p) => minimatch(name, p, { dot: true })));
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

describe('helix start decision (emulated)', () => {
  test('starts for amplify/ files of the fixture project, opened from the project or a parent', () => {
    const project = realpathSync(fixture);
    for (const rel of ['amplify/storage/resource.ts', 'amplify/functions/say-hello/resource.ts', 'amplify/backend.ts']) {
      const file = path.join(project, rel);
      assert.equal(wouldStart(file, project), true, `${rel}, workspace = project`);
      assert.equal(wouldStart(file, path.dirname(project)), true, `${rel}, workspace = parent`);
    }
  });

  test('does not start in a TypeScript project without amplify/', () => {
    const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'helix-plain-')));
    mkdirSync(path.join(tmp, 'src'));
    writeFileSync(path.join(tmp, 'package.json'), '{}');
    writeFileSync(path.join(tmp, 'src', 'main.ts'), 'export {};\n');
    assert.equal(wouldStart(path.join(tmp, 'src', 'main.ts'), tmp), false);
  });
});
