// Checks the .vsix built by `npx @vscode/vsce package` (editors/test-all.sh builds it first):
// the bundled extension and its manifest are inside; sources, tests and node_modules are not.
// Standalone: (cd editors/vscode && npm run package) && node --test editors/vscode/test/vsix.test.mjs

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const extDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(extDir, 'package.json'), 'utf8'));

/** Lists a zip file's entries (name -> contents) from its central directory. */
function readZip(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'broken central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + size);
    entries.set(name, () => (method === 8 ? inflateRawSync(raw) : raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const vsix = readdirSync(extDir)
  .filter((f) => f.endsWith('.vsix'))
  .map((f) => path.join(extDir, f))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];

test('the .vsix holds the bundled extension, its manifest and docs, and nothing else', () => {
  assert.ok(vsix, `no .vsix in ${extDir}: run \`npm run package\` there (editors/test-all.sh does)`);
  const entries = readZip(vsix);
  const names = [...entries.keys()];
  for (const want of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/readme.md',
    'extension/LICENSE.txt',
    'extension/images/icon.png',
  ]) {
    assert.ok(names.includes(want), `${want} missing from ${path.basename(vsix)}: ${names.join(', ')}`);
  }
  for (const name of names) {
    assert.doesNotMatch(name, /^extension\/(src|test|out|node_modules|e2e|scripts)\//, `${name} should not be packaged`);
    assert.doesNotMatch(name, /\.(ts|map)$/, `${name} should not be packaged`);
  }

  const packaged = JSON.parse(entries.get('extension/package.json')().toString('utf8'));
  assert.equal(packaged.name, manifest.name);
  assert.equal(packaged.version, manifest.version);
  assert.equal(packaged.main, './dist/extension.js');

  // The bundle must not load the client library from node_modules at run time (it is not shipped).
  const js = entries.get('extension/dist/extension.js')().toString('utf8');
  assert.doesNotMatch(js, /require\(["']vscode-languageclient/, 'vscode-languageclient was not bundled');
  assert.match(js, /require\(["']vscode["']\)/, 'the bundle should load vscode from the host');
  assert.match(js, /amplifyLsp\.restartServer/);
});
