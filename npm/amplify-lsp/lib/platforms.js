'use strict';
// Which npm package carries the amplify-lsp binary for which machine. The launcher
// (bin/amplify-lsp.js) and the packaging script (npm/build.mjs) both read this table, and
// npm/test/version.test.mjs checks that package.json's optionalDependencies list exactly these.

/** @typedef {{ id: string, pkg: string, os: string, cpu: string, libc?: string, rustTarget: string, exe: string }} Platform */

/** @type {Platform[]} */
const PLATFORMS = [
  { id: 'linux-x64', os: 'linux', cpu: 'x64', libc: 'glibc', rustTarget: 'x86_64-unknown-linux-gnu' },
  { id: 'linux-arm64', os: 'linux', cpu: 'arm64', libc: 'glibc', rustTarget: 'aarch64-unknown-linux-gnu' },
  { id: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl', rustTarget: 'x86_64-unknown-linux-musl' },
  { id: 'darwin-x64', os: 'darwin', cpu: 'x64', rustTarget: 'x86_64-apple-darwin' },
  { id: 'darwin-arm64', os: 'darwin', cpu: 'arm64', rustTarget: 'aarch64-apple-darwin' },
  { id: 'win32-x64', os: 'win32', cpu: 'x64', rustTarget: 'x86_64-pc-windows-msvc' },
].map((p) => ({ ...p, pkg: `@amplify-lsp/${p.id}`, exe: p.os === 'win32' ? 'amplify-lsp.exe' : 'amplify-lsp' }));

/**
 * True when this Node runs on musl libc (Alpine and the like). glibc builds of Node report the
 * glibc version they run on; musl builds do not.
 */
function isMusl() {
  if (process.platform !== 'linux') return false;
  try {
    const report = process.report && process.report.getReport();
    const header = report && (typeof report === 'string' ? JSON.parse(report).header : report.header);
    return !(header && header.glibcVersionRuntime);
  } catch {
    return false;
  }
}

/**
 * The platform packages to try on this machine, best first. On Linux both libc flavours are
 * listed: the musl binary is linked statically and also runs on a glibc system, so it is the
 * fallback when only that one got installed.
 * @param {{ platform: string, arch: string, musl: boolean }} host
 * @returns {Platform[]}
 */
function platformsFor(host) {
  const same = PLATFORMS.filter((p) => p.os === host.platform && p.cpu === host.arch);
  if (host.platform !== 'linux') return same;
  const want = host.musl ? 'musl' : 'glibc';
  return [...same.filter((p) => p.libc === want), ...same.filter((p) => p.libc !== want)];
}

module.exports = { PLATFORMS, isMusl, platformsFor };
