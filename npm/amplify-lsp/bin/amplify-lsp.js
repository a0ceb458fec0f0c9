#!/usr/bin/env node
'use strict';
// The `amplify-lsp` command of the npm package: finds the native binary for this machine (in one
// of the @amplify-lsp/<platform> optional dependencies) and runs it with the same arguments,
// standard streams and exit status. `amplify-lsp --stdio` speaks LSP through it unchanged.

const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { isMusl } = require('../lib/platforms');
const { locate } = require('../lib/locate');

const found = locate({
  host: { platform: process.platform, arch: process.arch, musl: isMusl() },
  resolvePackageJson(pkg) {
    try {
      return require.resolve(`${pkg}/package.json`);
    } catch {
      return undefined;
    }
  },
  isExecutable(file) {
    try {
      if (!fs.statSync(file).isFile()) return false;
      if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
});
if (!found.ok) {
  process.stderr.write(`${found.message}\n`);
  process.exit(2);
}

const child = spawn(found.binary, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });

// Ctrl-C in a terminal reaches the whole process group, the server included: let it decide, and
// leave when it does. A signal sent to this process alone (an editor stopping its server) is
// passed on.
process.on('SIGINT', () => {});
for (const sig of ['SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  });
}

child.on('error', (err) => {
  process.stderr.write(`amplify-lsp: could not run ${found.binary}: ${err.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // End the same way, so that the caller sees the signal and not a made-up exit code.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 1 : code);
});
