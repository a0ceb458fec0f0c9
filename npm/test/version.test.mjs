// One version everywhere: the Cargo workspace sets it; the npm templates, the VS Code extension
// and the binary must say the same. (npm/build.mjs stamps the Cargo version into what it packs.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as os from 'node:os';
import { test } from 'node:test';
import { NPM, REPO, serverBinary, VERSION } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { PLATFORMS } = require('../amplify-lsp/lib/platforms.js');
const readJson = (...p) => JSON.parse(fs.readFileSync(path.join(...p), 'utf8'));

test('the Cargo workspace version is a plain semver', () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
});

test('npm/amplify-lsp/package.json: same version, one optional dependency per platform at that version', () => {
  const pkg = readJson(NPM, 'amplify-lsp', 'package.json');
  assert.equal(pkg.version, VERSION);
  assert.deepEqual(pkg.optionalDependencies, Object.fromEntries(PLATFORMS.map((p) => [p.pkg, VERSION])));
  assert.deepEqual(pkg.bin, { 'amplify-lsp': 'bin/amplify-lsp.js' });
});

test('the VS Code extension has the same version (package.json and package-lock.json)', () => {
  assert.equal(readJson(REPO, 'editors', 'vscode', 'package.json').version, VERSION);
  const lock = readJson(REPO, 'editors', 'vscode', 'package-lock.json');
  assert.equal(lock.version, VERSION);
  assert.equal(lock.packages[''].version, VERSION);
});

test('scripts/set-version.mjs changes every copy, and only the version', () => {
  const files = ['Cargo.toml', 'Cargo.lock', 'npm/amplify-lsp/package.json', 'editors/vscode/package.json', 'editors/vscode/package-lock.json'];
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'amplify-lsp-version-'));
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(path.join(REPO, f), path.join(copy, f));
    }
    const out = execFileSync(process.execPath, [path.join(REPO, 'scripts', 'set-version.mjs'), '7.8.9-rc.1', '--repo', copy], {
      encoding: 'utf8',
    });
    assert.deepEqual(out.trim().split('\n'), files);
    const toml = fs.readFileSync(path.join(copy, 'Cargo.toml'), 'utf8');
    assert.match(toml, /^\[workspace\.package\]\nversion = "7\.8\.9-rc\.1"$/m);
    const lock = fs.readFileSync(path.join(copy, 'Cargo.lock'), 'utf8');
    assert.match(lock, /name = "amplify-lsp"\nversion = "7\.8\.9-rc\.1"/);
    assert.match(lock, /name = "amplify-lsp-tests"\nversion = "7\.8\.9-rc\.1"/);
    const npmPkg = readJson(copy, 'npm', 'amplify-lsp', 'package.json');
    assert.equal(npmPkg.version, '7.8.9-rc.1');
    assert.deepEqual(new Set(Object.values(npmPkg.optionalDependencies)), new Set(['7.8.9-rc.1']));
    assert.equal(readJson(copy, 'editors', 'vscode', 'package.json').version, '7.8.9-rc.1');
    assert.equal(readJson(copy, 'editors', 'vscode', 'package-lock.json').packages[''].version, '7.8.9-rc.1');
    // Nothing else moved: each file differs from the original only in lines holding the version.
    for (const f of files) {
      const a = fs.readFileSync(path.join(REPO, f), 'utf8').split('\n');
      const b = fs.readFileSync(path.join(copy, f), 'utf8').split('\n');
      assert.equal(a.length, b.length, f);
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.match(b[i], /7\.8\.9-rc\.1/, `${f}:${i + 1}`);
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test('`amplify-lsp --version` prints the same version', () => {
  assert.equal(execFileSync(serverBinary(), ['--version'], { encoding: 'utf8' }).trim(), `amplify-lsp ${VERSION}`);
});
