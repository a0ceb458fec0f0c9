// Installs amplify-lsp the way a user does, from packed tarballs: npm/build.mjs --pack makes the
// launcher package and this machine's platform package, `npm install` puts both into a new
// project in a temporary folder, and the tests run what a user runs there: `npx amplify-lsp ...`
// and `node_modules/.bin/amplify-lsp --stdio` (what an editor starts).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectedFindings, NPM, REPO, serverBinary, VERSION } from './helpers.mjs';

const require = createRequire(import.meta.url);
const Ajv = require('ajv-draft-04');
const { isMusl, platformsFor } = require('../amplify-lsp/lib/platforms.js');
/** The platform package this machine gets (linux-x64 on this project's machines and CI). */
const host = platformsFor({ platform: process.platform, arch: process.arch, musl: isMusl() })[0];
const addFormats = require('ajv-formats');

const npmEnv = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

let tmp;
let project;
let tarballs;

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `npx amplify-lsp ...args` in the project: exit status, stdout, stderr. */
function npx(args, cwd = project) {
  const r = spawnSync('npx', ['--no-install', 'amplify-lsp', ...args], { cwd, env: npmEnv, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function newProject(name) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }, null, 2));
  return dir;
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amplify-lsp-npm-'));
  const out = execFileSync(
    process.execPath,
    [path.join(NPM, 'build.mjs'), '--binary', serverBinary(), '--out', path.join(tmp, 'dist'), '--pack'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  tarballs = out.trim().split('\n');
  assert.equal(tarballs.length, 2, out);
  project = newProject('app');
  fs.cpSync(path.join(REPO, 'examples', 'mistakes'), path.join(project, 'examples', 'mistakes'), { recursive: true });
  npm(['install', '--save-dev', ...tarballs], project);
});

after(() => {
  if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm install from the packed tarballs', () => {
  test('the tarballs are named and versioned as the Cargo workspace says', () => {
    assert.deepEqual(
      tarballs.map((t) => path.basename(t)),
      [`amplify-lsp-${VERSION}.tgz`, `amplify-lsp-${host.id}-${VERSION}.tgz`],
    );
  });

  test('the launcher package holds only the launcher; the binary sits in the platform package', () => {
    const files = JSON.parse(npm(['pack', '--dry-run', '--json', tarballs[0]], tmp))[0].files.map((f) => f.path);
    assert.deepEqual(files.sort(), ['LICENSE', 'README.md', 'bin/amplify-lsp.js', 'lib/locate.js', 'lib/platforms.js', 'package.json']);
    const bin = path.join(project, 'node_modules', '@amplify-lsp', host.id, host.exe);
    assert.ok(fs.statSync(bin).mode & 0o111, `${bin} is executable`);
  });

  test('node_modules/.bin/amplify-lsp exists', () => {
    assert.ok(fs.existsSync(path.join(project, 'node_modules', '.bin', 'amplify-lsp')));
  });

  test('npx amplify-lsp --version', () => {
    const r = npx(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `amplify-lsp ${VERSION}`);
  });

  test('npx amplify-lsp check examples/mistakes: exit 1, every expected finding, same output as the binary', () => {
    const r = npx(['check', 'examples/mistakes']);
    assert.equal(r.status, 1, r.stderr);
    const expected = expectedFindings(path.join(project, 'examples', 'mistakes')).map((f) => `examples/mistakes/${f}`);
    assert.ok(expected.length >= 10, `expected findings: ${expected.length}`);
    const found = [...r.stdout.matchAll(/^(\S+):(\d+):\d+: (?:error|warning|info|hint) (\S+):/gm)].map(
      (m) => `${m[1]}:${m[2]} ${m[3]}`,
    );
    for (const e of expected) assert.ok(found.includes(e), `missing ${e} in:\n${r.stdout}`);
    // Errors and warnings are exactly the expected ones (hints may come on top).
    const serious = [...r.stdout.matchAll(/^(\S+):(\d+):\d+: (?:error|warning) (\S+):/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);
    assert.deepEqual(serious.sort(), expected.filter((e) => serious.includes(e)).sort());
    assert.match(r.stdout, /\d+ error\(s\), \d+ warning\(s\)/);
    // The launcher adds nothing and loses nothing.
    const direct = spawnSync(serverBinary(), ['check', 'examples/mistakes'], { cwd: project, encoding: 'utf8' });
    assert.equal(r.stdout, direct.stdout);
    assert.equal(r.status, direct.status);
  });

  test('npx amplify-lsp check on a clean folder: exit 0', () => {
    fs.mkdirSync(path.join(project, 'empty'));
    const r = npx(['check', 'empty']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('npx amplify-lsp check --format sarif: valid SARIF 2.1.0 with the expected results', () => {
    const r = npx(['check', '--format', 'sarif', 'examples/mistakes']);
    assert.equal(r.status, 1, r.stderr);
    const sarif = JSON.parse(r.stdout);
    const schemaFile = path.join(
      path.dirname(require.resolve('@microsoft/jest-sarif/package.json')),
      'lib',
      'schemas',
      'sarif-2.1.0-rtm.5.json',
    );
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    // unicodeRegExp off: the schema's `language` pattern has a stray `]`, legal only outside Unicode mode.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    assert.equal(sarif.version, '2.1.0');
    // The schema really checks: a result without its message is rejected.
    const broken = structuredClone(sarif);
    delete broken.runs[0].results[0].message;
    assert.equal(validate(broken), false);

    const results = sarif.runs[0].results.map(
      (x) => `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine} ${x.ruleId}`,
    );
    const expected = expectedFindings(path.join(project, 'examples', 'mistakes')).map((f) => `examples/mistakes/${f}`);
    for (const e of expected) assert.ok(results.includes(e), `missing ${e} in SARIF`);
    assert.equal(sarif.runs[0].tool.driver.name, 'amplify-lsp');
  });

  test('node_modules/.bin/amplify-lsp --stdio answers initialize, and exits 0 after shutdown/exit', async () => {
    const child = spawn(path.join(project, 'node_modules', '.bin', 'amplify-lsp'), ['--stdio'], {
      cwd: project,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const rpc = lspClient(child);
    try {
      const init = await rpc.request('initialize', {
        processId: process.pid,
        rootUri: `file://${project}`,
        capabilities: {},
        workspaceFolders: [{ uri: `file://${project}`, name: 'app' }],
      });
      assert.equal(init.serverInfo?.name, 'amplify-lsp');
      assert.equal(init.serverInfo?.version, VERSION);
      assert.ok(init.capabilities?.textDocumentSync !== undefined, JSON.stringify(init.capabilities));
      rpc.notify('initialized', {});
      assert.equal(await rpc.request('shutdown', null), null);
      rpc.notify('exit', null);
      const [code, signal] = await rpc.exited;
      assert.deepEqual([code, signal], [0, null]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('signals (an editor stopping its server)', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, () => {
  /**
   * Starts `file --stdio`, waits for `initialize`, sends SIGTERM to it; how it ended, and its
   * child. Its stdin is a FIFO this test keeps open: with a pipe, Node closes our end when the
   * process exits and the server would stop on end-of-input, whether the signal reached it or not.
   */
  async function terminate(file) {
    const fifo = path.join(tmp, `stdin-${path.basename(path.dirname(file))}-${Date.now()}`);
    execFileSync('mkfifo', [fifo]);
    const fd = fs.openSync(fifo, 'r+'); // read-write: never blocks, and keeps a writer open
    const child = spawn(file, ['--stdio'], { cwd: project, stdio: [fd, 'pipe', 'pipe'] });
    const rpc = lspClient(child, (bytes) => fs.writeSync(fd, bytes));
    try {
      await rpc.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      child.kill('SIGTERM');
      const ended = await rpc.exited;
      return { ended, kids: kids.map(Number) };
    } finally {
      // Only now can the server see end-of-input.
      setTimeout(() => fs.closeSync(fd), 1_000);
    }
  }
  const gone = (pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
    } catch {
      return true;
    }
  };

  test('SIGTERM to the launcher ends the server, and the launcher ends as the server does', async () => {
    const direct = await terminate(path.join(project, 'node_modules', '@amplify-lsp', host.id, host.exe));
    const viaLauncher = await terminate(path.join(project, 'node_modules', '.bin', 'amplify-lsp'));
    assert.equal(viaLauncher.kids.length, 1, `the launcher has one child: ${viaLauncher.kids}`);
    assert.deepEqual(viaLauncher.ended, direct.ended);
    const server = viaLauncher.kids[0];
    const deadline = Date.now() + 900; // before the FIFO is closed
    while (!gone(server) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const survived = !gone(server);
    // The server holds its stdin FIFO open itself, so a survivor would never end: stop it.
    if (survived) process.kill(server, 'SIGKILL');
    assert.ok(!survived, `server process ${server} was still running after the launcher got SIGTERM`);
  });
});

describe('the installed launcher on a machine with no package', () => {
  test('FreeBSD (Node told so by a preload): exit 2, which machine, the supported ones, cargo; no stack trace', () => {
    const preload = path.join(tmp, 'pretend-freebsd.cjs');
    fs.writeFileSync(preload, "Object.defineProperty(process, 'platform', { value: 'freebsd' });\n");
    const r = spawnSync(path.join(project, 'node_modules', '.bin', 'amplify-lsp'), ['check', 'examples/mistakes'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no prebuilt binary exists for this machine \(freebsd-/);
    assert.match(r.stderr, /linux-x64, linux-arm64, linux-x64-musl, darwin-x64, darwin-arm64, win32-x64/);
    assert.match(r.stderr, /cargo install --locked --path server/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

describe('npm install without the platform package', () => {
  test('the launcher explains what is missing and how to fix it, with no stack trace', () => {
    const bare = newProject('bare');
    npm(['install', '--save-dev', tarballs[0]], bare);
    assert.ok(!fs.existsSync(path.join(bare, 'node_modules', '@amplify-lsp', host.id)));
    const r = npx(['check', '.'], bare);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`optional dependency @amplify-lsp/${host.id}, and it is not installed`));
    assert.match(r.stderr, /npm install --include=optional/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

/** A minimal LSP client over a child's stdio (Content-Length framing). */
function lspClient(child, write = (bytes) => child.stdin.write(bytes)) {
  let buf = Buffer.alloc(0);
  let nextId = 1;
  const waiting = new Map();
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  child.stdout.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, end).toString())?.[1]);
      if (buf.length < end + 4 + len) return;
      const msg = JSON.parse(buf.subarray(end + 4, end + 4 + len).toString());
      buf = buf.subarray(end + 4 + len);
      if (msg.id !== undefined && waiting.has(msg.id) && msg.method === undefined) {
        const { resolve, reject } = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (msg.error) reject(new Error(JSON.stringify(msg.error)));
        else resolve(msg.result);
      } else if (msg.id !== undefined && msg.method !== undefined) {
        // A request from the server (e.g. workspace/configuration): answer with nothing.
        send({ jsonrpc: '2.0', id: msg.id, result: null });
      }
    }
  });
  function send(obj) {
    const body = Buffer.from(JSON.stringify(obj));
    write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }
  return {
    exited,
    request(method, params) {
      const id = nextId++;
      const p = new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        setTimeout(() => reject(new Error(`${method}: no answer in 20 s; stderr: ${stderr}`)), 20_000).unref();
      });
      send({ jsonrpc: '2.0', id, method, params });
      return p;
    },
    notify(method, params) {
      send({ jsonrpc: '2.0', method, params });
    },
  };
}
