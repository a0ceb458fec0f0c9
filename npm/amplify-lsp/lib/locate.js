'use strict';
// Finds the native amplify-lsp binary that one of the platform packages put into node_modules.
// No side effects: the caller passes in how to resolve a package and how to test a file, so that
// npm/test/launcher.test.mjs can try every machine and every broken install.

const path = require('node:path');
const { PLATFORMS, platformsFor } = require('./platforms');

const FROM_SOURCE =
  'build it from source instead (Rust 1.85+: `cargo install --locked --path server` in a checkout of the ' +
  'amplify-lsp repository) and run that `amplify-lsp`';

/**
 * @param {{
 *   host: { platform: string, arch: string, musl: boolean },
 *   resolvePackageJson: (pkg: string) => string | undefined,
 *   isExecutable: (file: string) => boolean,
 * }} io
 * @returns {{ ok: true, binary: string, pkg: string } | { ok: false, message: string }}
 */
function locate(io) {
  const { host } = io;
  const machine = `${host.platform}-${host.arch}${host.platform === 'linux' && host.musl ? ' (musl)' : ''}`;
  const options = platformsFor(host);
  if (options.length === 0) {
    const supported = PLATFORMS.map((p) => p.id).join(', ');
    return {
      ok: false,
      message:
        `amplify-lsp: no prebuilt binary exists for this machine (${machine}); the npm package has them for ` +
        `${supported}. To use amplify-lsp here, ${FROM_SOURCE}.`,
    };
  }
  const broken = [];
  for (const p of options) {
    const manifest = io.resolvePackageJson(p.pkg);
    if (manifest === undefined) continue;
    const binary = path.join(path.dirname(manifest), p.exe);
    if (io.isExecutable(binary)) return { ok: true, binary, pkg: p.pkg };
    broken.push(`${p.pkg} is installed but ${binary} is missing or not executable`);
  }
  const wanted = options[0].pkg;
  if (broken.length > 0) {
    return {
      ok: false,
      message:
        `amplify-lsp: ${broken.join('; ')}. The package is damaged: delete node_modules and install again ` +
        '(`npm install`).',
    };
  }
  return {
    ok: false,
    message:
      `amplify-lsp: the binary for this machine (${machine}) comes in the optional dependency ${wanted}, ` +
      'and it is not installed. npm skips optional dependencies when asked to (`--no-optional`, ' +
      '`--omit=optional`, `optional=false` in .npmrc), and sometimes when package-lock.json was written on ' +
      'another operating system. Fix: install it again with optional dependencies, e.g. ' +
      '`npm install --include=optional`, or delete node_modules and package-lock.json and run `npm install`. ' +
      `If that cannot work here, ${FROM_SOURCE}.`,
  };
}

module.exports = { locate };
