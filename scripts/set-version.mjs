#!/usr/bin/env node
// Sets the version of amplify-lsp everywhere it is written down:
//
//   node scripts/set-version.mjs 0.2.0 [--repo DIR]
//
// Cargo.toml ([workspace.package] version: the source of `--version` and serverInfo.version),
// Cargo.lock (the workspace's own packages), npm/amplify-lsp/package.json (version and the
// optional platform packages), editors/vscode/package.json and its package-lock.json.
// npm/test/version.test.mjs checks that they agree; npm/build.mjs stamps the Cargo version into
// the packages it builds.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const repoAt = args.indexOf('--repo');
const repo = repoAt >= 0 ? path.resolve(args[repoAt + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = args.find((a, i) => !a.startsWith('--') && (repoAt < 0 || i !== repoAt + 1));
if (!version || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
  process.stderr.write('usage: node scripts/set-version.mjs X.Y.Z[-pre] [--repo DIR]\n');
  process.exit(2);
}

function edit(rel, change) {
  const file = path.join(repo, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`${rel}: nothing to change (already ${version}, or not in the expected form)`);
  fs.writeFileSync(file, after);
  process.stdout.write(`${rel}\n`);
}

function editJson(rel, change) {
  edit(rel, (text) => {
    const json = JSON.parse(text);
    change(json);
    return `${JSON.stringify(json, null, 2)}\n`;
  });
}

edit('Cargo.toml', (t) =>
  t.replace(/(^\[workspace\.package\][^[]*?^version\s*=\s*)"[^"]*"/m, `$1"${version}"`),
);
edit('Cargo.lock', (t) =>
  t.replace(/(\[\[package\]\]\nname = "amplify-lsp(?:-tests)?"\nversion = )"[^"]*"/g, `$1"${version}"`),
);
editJson('npm/amplify-lsp/package.json', (j) => {
  j.version = version;
  for (const name of Object.keys(j.optionalDependencies ?? {})) j.optionalDependencies[name] = version;
});
editJson('editors/vscode/package.json', (j) => {
  j.version = version;
});
editJson('editors/vscode/package-lock.json', (j) => {
  j.version = version;
  j.packages[''].version = version;
});
