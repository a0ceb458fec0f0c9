#!/usr/bin/env node
// Builds the npm package tree for one platform from an amplify-lsp binary that is already built:
//
//   node npm/build.mjs [--binary target/release/amplify-lsp] [--platform linux-x64] [--out npm/dist] [--pack]
//
// Writes <out>/amplify-lsp/ (the launcher package) and <out>/<platform>/ (the binary's package),
// both with the version of the Cargo workspace (Cargo.toml, [workspace.package] version), which is
// the one place the version is set. With --pack it also runs `npm pack` in both and prints the two
// tarball paths, one a line. --platform defaults to this machine's; when it is this machine's,
// the binary is run once to check that `--version` prints the same version. See npm/README.md for
// how a release builds the other platforms.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { PLATFORMS, isMusl, platformsFor } = require('./amplify-lsp/lib/platforms.js');

const NPM = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(NPM);

export function cargoVersion(repo = REPO) {
  const toml = fs.readFileSync(path.join(repo, 'Cargo.toml'), 'utf8');
  const section = /^\[workspace\.package\]\s*$([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(toml);
  const m = section && /^version\s*=\s*"([^"]+)"/m.exec(section[1]);
  if (!m) throw new Error('Cargo.toml has no [workspace.package] version');
  return m[1];
}

function die(msg) {
  process.stderr.write(`npm/build.mjs: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const out = { binary: undefined, platform: undefined, out: path.join(NPM, 'dist'), pack: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? die(`${a} needs a value`);
    if (a === '--binary') out.binary = path.resolve(value());
    else if (a === '--platform') out.platform = value();
    else if (a === '--out') out.out = path.resolve(value());
    else if (a === '--pack') out.pack = true;
    else die(`unknown argument ${a}`);
  }
  return out;
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const version = cargoVersion();
  const host = platformsFor({ platform: process.platform, arch: process.arch, musl: isMusl() })[0];
  const id = args.platform ?? host?.id ?? die(`no package for ${process.platform}-${process.arch}; pass --platform`);
  const target = PLATFORMS.find((p) => p.id === id) ?? die(`unknown platform ${id} (${PLATFORMS.map((p) => p.id).join(', ')})`);
  const binary = args.binary ?? path.join(REPO, 'target', target.os === 'win32' ? 'release/amplify-lsp.exe' : 'release/amplify-lsp');
  if (!fs.existsSync(binary)) die(`no binary at ${binary}: build it (cargo build --release -p amplify-lsp) or pass --binary`);
  if (host && host.id === target.id) {
    const printed = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    if (printed !== `amplify-lsp ${version}`)
      die(`${binary} --version printed "${printed}", but Cargo.toml says ${version}: rebuild it`);
  }

  fs.mkdirSync(args.out, { recursive: true });
  const license = fs.readFileSync(path.join(REPO, 'editors', 'vscode', 'LICENSE'), 'utf8');

  // The launcher package: a copy of npm/amplify-lsp with the version stamped in.
  const mainDir = path.join(args.out, 'amplify-lsp');
  fs.rmSync(mainDir, { recursive: true, force: true });
  fs.cpSync(path.join(NPM, 'amplify-lsp'), mainDir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(mainDir, 'package.json'), 'utf8'));
  manifest.version = version;
  manifest.optionalDependencies = Object.fromEntries(PLATFORMS.map((p) => [p.pkg, version]));
  writeJson(path.join(mainDir, 'package.json'), manifest);
  fs.writeFileSync(path.join(mainDir, 'LICENSE'), license);
  fs.chmodSync(path.join(mainDir, 'bin', 'amplify-lsp.js'), 0o755);

  // The platform package: package.json, the binary, a README pointing at the main package.
  const platDir = path.join(args.out, target.id);
  fs.rmSync(platDir, { recursive: true, force: true });
  fs.mkdirSync(platDir, { recursive: true });
  const platManifest = {
    name: target.pkg,
    version,
    description: `The amplify-lsp binary for ${target.id} (${target.rustTarget}). Install \`amplify-lsp\`, which picks this package when it fits the machine.`,
    license: manifest.license,
    repository: manifest.repository && { ...manifest.repository, directory: 'npm' },
    os: [target.os],
    cpu: [target.cpu],
    ...(target.libc ? { libc: [target.libc] } : {}),
    files: [target.exe, 'README.md', 'LICENSE'],
    preferUnplugged: true,
  };
  writeJson(path.join(platDir, 'package.json'), platManifest);
  fs.copyFileSync(binary, path.join(platDir, target.exe));
  fs.chmodSync(path.join(platDir, target.exe), 0o755);
  fs.writeFileSync(
    path.join(platDir, 'README.md'),
    `# ${target.pkg}\n\nThe \`amplify-lsp\` executable for ${target.id} (Rust target \`${target.rustTarget}\`).\n` +
      'Do not install it directly: install `amplify-lsp`, whose launcher runs this binary on machines it fits.\n',
  );
  fs.writeFileSync(path.join(platDir, 'LICENSE'), license);

  if (!args.pack) {
    process.stdout.write(`${mainDir}\n${platDir}\n`);
    return;
  }
  for (const dir of [mainDir, platDir]) {
    const json = execFileSync('npm', ['pack', '--json', '--pack-destination', args.out], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(`${path.join(args.out, JSON.parse(json)[0].filename)}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
