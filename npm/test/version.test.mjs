// One version everywhere: the Cargo workspace sets it; the npm templates, the VS Code extension
// and the binary must say the same. (npm/build.mjs stamps the Cargo version into what it packs.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
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

test('the VS Code extension has the same version', () => {
  assert.equal(readJson(REPO, 'editors', 'vscode', 'package.json').version, VERSION);
});

test('`amplify-lsp --version` prints the same version', () => {
  assert.equal(execFileSync(serverBinary(), ['--version'], { encoding: 'utf8' }).trim(), `amplify-lsp ${VERSION}`);
});
