// The launcher's choice of platform package and its messages, on every machine and every broken
// install, with a fake module resolver and file system.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { PLATFORMS, platformsFor } = require('../amplify-lsp/lib/platforms.js');
const { locate } = require('../amplify-lsp/lib/locate.js');

/** node_modules holding `installed` packages; `noBinary` lists packages whose binary is gone. */
function io(host, installed, noBinary = []) {
  const root = '/proj/node_modules';
  return {
    host,
    resolvePackageJson: (pkg) => (installed.includes(pkg) ? path.join(root, pkg, 'package.json') : undefined),
    isExecutable: (file) =>
      installed.some((pkg) => !noBinary.includes(pkg) && path.dirname(file) === path.join(root, pkg)),
  };
}

describe('platform table', () => {
  test('six platforms, one package each, .exe only on Windows', () => {
    assert.deepEqual(
      PLATFORMS.map((p) => p.id),
      ['linux-x64', 'linux-arm64', 'linux-x64-musl', 'darwin-x64', 'darwin-arm64', 'win32-x64'],
    );
    for (const p of PLATFORMS) {
      assert.equal(p.pkg, `@amplify-lsp/${p.id}`);
      assert.equal(p.exe, p.os === 'win32' ? 'amplify-lsp.exe' : 'amplify-lsp');
    }
  });

  test('each supported machine maps to its package first', () => {
    const cases = [
      [{ platform: 'linux', arch: 'x64', musl: false }, '@amplify-lsp/linux-x64'],
      [{ platform: 'linux', arch: 'x64', musl: true }, '@amplify-lsp/linux-x64-musl'],
      [{ platform: 'linux', arch: 'arm64', musl: false }, '@amplify-lsp/linux-arm64'],
      [{ platform: 'darwin', arch: 'x64', musl: false }, '@amplify-lsp/darwin-x64'],
      [{ platform: 'darwin', arch: 'arm64', musl: false }, '@amplify-lsp/darwin-arm64'],
      [{ platform: 'win32', arch: 'x64', musl: false }, '@amplify-lsp/win32-x64'],
    ];
    for (const [host, pkg] of cases) assert.equal(platformsFor(host)[0]?.pkg, pkg, JSON.stringify(host));
  });

  test('glibc Linux falls back to the static musl build; no fallback across CPUs', () => {
    assert.deepEqual(
      platformsFor({ platform: 'linux', arch: 'x64', musl: false }).map((p) => p.id),
      ['linux-x64', 'linux-x64-musl'],
    );
    assert.deepEqual(
      platformsFor({ platform: 'linux', arch: 'arm64', musl: true }).map((p) => p.id),
      ['linux-arm64'],
    );
  });
});

describe('locate', () => {
  const linux = { platform: 'linux', arch: 'x64', musl: false };

  test('finds the binary inside the installed platform package', () => {
    const r = locate(io(linux, ['@amplify-lsp/linux-x64']));
    assert.deepEqual(r, {
      ok: true,
      pkg: '@amplify-lsp/linux-x64',
      binary: path.join('/proj/node_modules/@amplify-lsp/linux-x64', 'amplify-lsp'),
    });
  });

  test('Windows runs amplify-lsp.exe', () => {
    const r = locate(io({ platform: 'win32', arch: 'x64', musl: false }, ['@amplify-lsp/win32-x64']));
    assert.ok(r.ok);
    assert.equal(path.basename(r.binary), 'amplify-lsp.exe');
  });

  test('prefers the libc-matching package when both are there', () => {
    const both = ['@amplify-lsp/linux-x64-musl', '@amplify-lsp/linux-x64'];
    assert.equal(locate(io(linux, both)).pkg, '@amplify-lsp/linux-x64');
    assert.equal(locate(io({ ...linux, musl: true }, both)).pkg, '@amplify-lsp/linux-x64-musl');
  });

  test('unsupported machine: says which, lists the supported ones, and how to build from source', () => {
    for (const host of [
      { platform: 'freebsd', arch: 'x64', musl: false },
      { platform: 'win32', arch: 'arm64', musl: false },
      { platform: 'darwin', arch: 'ia32', musl: false },
    ]) {
      const r = locate(io(host, PLATFORMS.map((p) => p.pkg)));
      assert.equal(r.ok, false);
      assert.match(r.message, new RegExp(`no prebuilt binary exists for this machine \\(${host.platform}-${host.arch}\\)`));
      assert.match(r.message, /linux-x64, linux-arm64, linux-x64-musl, darwin-x64, darwin-arm64, win32-x64/);
      assert.match(r.message, /cargo install --locked --path server/);
    }
  });

  test('platform package not installed (--no-optional): names it and the fix', () => {
    const r = locate(io({ platform: 'darwin', arch: 'arm64', musl: false }, ['@amplify-lsp/linux-x64']));
    assert.equal(r.ok, false);
    assert.match(r.message, /optional dependency @amplify-lsp\/darwin-arm64, and it is not installed/);
    assert.match(r.message, /--no-optional/);
    assert.match(r.message, /npm install --include=optional/);
  });

  test('package present but binary missing: says the install is damaged', () => {
    const r = locate(io(linux, ['@amplify-lsp/linux-x64'], ['@amplify-lsp/linux-x64']));
    assert.equal(r.ok, false);
    assert.match(r.message, /@amplify-lsp\/linux-x64 is installed but .*amplify-lsp is missing or not executable/);
    assert.match(r.message, /delete node_modules/);
  });
});
