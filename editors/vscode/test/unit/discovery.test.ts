import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  candidates,
  checkVersion,
  compareVersions,
  type DiscoveryInput,
  type Exec,
  expandSettingPath,
  findServer,
  parseVersion,
  projectServerPath,
  versionMismatchWarning,
} from '../../src/discovery';

const base: DiscoveryInput = {
  env: { PATH: '/usr/local/bin:/usr/bin' },
  setting: {},
  workspaceTrusted: true,
  extensionPath: '/ext',
  platform: 'linux',
  homeDir: '/home/u',
  workspaceFolder: '/home/dev/app',
};

function input(over: Partial<DiscoveryInput>): DiscoveryInput {
  return { ...base, ...over };
}

/** A file system holding exactly `files`. */
function fsWith(...files: string[]) {
  const set = new Set(files);
  return { isFile: (p: string) => set.has(p) };
}

/** `--version` answers per path; anything missing throws like a failed spawn. */
function execWith(answers: Record<string, string>): Exec & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (file: string, args: string[]) => {
    calls.push(`${file} ${args.join(' ')}`);
    if (!(file in answers)) throw Object.assign(new Error(`spawn ${file} EACCES`), { stderr: '' });
    return { stdout: answers[file], stderr: '' };
  };
  return Object.assign(fn, { calls });
}

describe('candidate order', () => {
  test('env, setting, project, bundled, PATH entries, cargo', () => {
    const { list } = candidates(
      input({ env: { AMPLIFY_LSP_PATH: '/opt/env/amplify-lsp', PATH: '/a:/b' }, setting: { user: '/opt/set/amplify-lsp' } }),
    );
    assert.deepEqual(
      list.map((c) => [c.source, c.path]),
      [
        ['env', '/opt/env/amplify-lsp'],
        ['setting', '/opt/set/amplify-lsp'],
        ['project', '/home/dev/app/node_modules/.bin/amplify-lsp'],
        ['bundled', '/ext/server/amplify-lsp'],
        ['path', '/a/amplify-lsp'],
        ['path', '/b/amplify-lsp'],
        ['cargo', '/home/u/.cargo/bin/amplify-lsp'],
      ],
    );
    assert.deepEqual(
      list.map((c) => c.explicit),
      [true, true, false, false, false, false, false],
    );
  });

  test('an empty env var or setting is no candidate', () => {
    const { list } = candidates(input({ env: { AMPLIFY_LSP_PATH: '  ', PATH: '' }, setting: { user: '' } }));
    assert.deepEqual(
      list.map((c) => c.source),
      ['project', 'bundled', 'cargo'],
    );
  });

  test('Windows: .exe, ; separator, quoted PATH entries, Path spelling', () => {
    const { list } = candidates(
      input({
        platform: 'win32',
        workspaceFolder: 'C:\\dev\\app',
        extensionPath: 'C:\\ext',
        homeDir: 'C:\\Users\\u',
        env: { Path: 'C:\\tools;"C:\\Program Files\\amp"' },
      }),
    );
    assert.deepEqual(
      list.map((c) => c.path),
      [
        'C:\\dev\\app\\node_modules\\@amplify-lsp\\win32-x64\\amplify-lsp.exe',
        'C:\\ext\\server\\amplify-lsp.exe',
        'C:\\tools\\amplify-lsp.exe',
        'C:\\Program Files\\amp\\amplify-lsp.exe',
        'C:\\Users\\u\\.cargo\\bin\\amplify-lsp.exe',
      ],
    );
  });

  test('CARGO_HOME moves the cargo candidate; relative PATH entries are skipped', () => {
    const { list } = candidates(input({ env: { PATH: 'bin:/x', CARGO_HOME: '/c' } }));
    assert.deepEqual(
      list.filter((c) => c.source !== 'bundled' && c.source !== 'project').map((c) => c.path),
      ['/x/amplify-lsp', '/c/bin/amplify-lsp'],
    );
  });
});

describe('workspace trust', () => {
  test('a workspace value is used in a trusted workspace and wins over the user value', () => {
    const { list } = candidates(input({ setting: { user: '/u/amplify-lsp', workspace: '/w/amplify-lsp' } }));
    assert.equal(list.find((c) => c.source === 'setting')?.path, '/w/amplify-lsp');
  });

  test('an untrusted workspace value is ignored (with a note); the user value still counts', () => {
    const { list, notes } = candidates(
      input({ workspaceTrusted: false, setting: { user: '/u/amplify-lsp', workspace: './evil' } }),
    );
    assert.equal(list.find((c) => c.source === 'setting')?.path, '/u/amplify-lsp');
    assert.match(notes.join('\n'), /not trusted/);
  });

  test('untrusted, workspace value only: no setting candidate at all', () => {
    const { list } = candidates(input({ workspaceTrusted: false, setting: { workspace: '/w/amplify-lsp' } }));
    assert.equal(
      list.some((c) => c.source === 'setting'),
      false,
    );
  });
});

describe('setting path expansion', () => {
  test('~, ${userHome}, ${workspaceFolder} and relative paths', () => {
    assert.equal(expandSettingPath('~/bin/amplify-lsp', base), '/home/u/bin/amplify-lsp');
    assert.equal(expandSettingPath('${userHome}/x', base), '/home/u/x');
    assert.equal(expandSettingPath('${workspaceFolder}/tools/amplify-lsp', base), '/home/dev/app/tools/amplify-lsp');
    assert.equal(expandSettingPath('tools/amplify-lsp', base), '/home/dev/app/tools/amplify-lsp');
    assert.equal(expandSettingPath('tools/amplify-lsp', { ...base, workspaceFolder: undefined }), undefined);
  });
});

describe('version parsing', () => {
  test('accepts "amplify-lsp <semver>"', () => {
    assert.equal(parseVersion('amplify-lsp 0.1.0\n'), '0.1.0');
    assert.equal(parseVersion('amplify-lsp v1.2.3-beta.1'), '1.2.3-beta.1');
    assert.equal(parseVersion('amplify-lsp 1.2.3+abc'), '1.2.3+abc');
  });
  test('rejects anything else', () => {
    assert.equal(parseVersion('rust-analyzer 1.0.0'), undefined);
    assert.equal(parseVersion('amplify-lsp'), undefined);
    assert.equal(parseVersion(''), undefined);
  });
  test('compareVersions compares numerically', () => {
    assert.equal(compareVersions('0.10.0', '0.9.9'), 1);
    assert.equal(compareVersions('0.1.0', '0.1.0-rc.1'), 0);
    assert.equal(compareVersions('0.0.9', '0.1.0'), -1);
  });
  test('checkVersion reports a failing binary and a foreign one', async () => {
    const exec = execWith({ '/ok': 'amplify-lsp 0.1.0', '/foreign': 'Usage: foo' });
    assert.deepEqual(await checkVersion('/ok', exec), { ok: true, version: '0.1.0' });
    const foreign = await checkVersion('/foreign', exec);
    assert.equal(foreign.ok, false);
    assert.match(!foreign.ok ? foreign.problem : '', /instead of "amplify-lsp <version>"/);
    const broken = await checkVersion('/missing', exec);
    assert.match(!broken.ok ? broken.problem : '', /EACCES/);
    const old = await checkVersion('/old', execWith({ '/old': 'amplify-lsp 0.0.1' }));
    assert.match(!old.ok ? old.problem : '', /needs 0\.1\.0 or newer/);
  });
});

describe('project-local server (npm install --save-dev amplify-lsp)', () => {
  const local = '/home/dev/app/node_modules/.bin/amplify-lsp';
  const bundled = '/ext/server/amplify-lsp';
  const onPath = '/usr/bin/amplify-lsp';

  test('the path: .bin launcher on Linux and macOS, the platform package binary on Windows, none without a folder', () => {
    assert.equal(projectServerPath({ workspaceFolder: '/w', platform: 'linux' }), '/w/node_modules/.bin/amplify-lsp');
    assert.equal(projectServerPath({ workspaceFolder: '/w', platform: 'darwin' }), '/w/node_modules/.bin/amplify-lsp');
    assert.equal(
      projectServerPath({ workspaceFolder: 'D:\\w', platform: 'win32' }),
      'D:\\w\\node_modules\\@amplify-lsp\\win32-x64\\amplify-lsp.exe',
    );
    assert.equal(projectServerPath({ workspaceFolder: undefined, platform: 'linux' }), undefined);
    const { list } = candidates(input({ workspaceFolder: undefined }));
    assert.ok(!list.some((c) => c.source === 'project'));
  });

  test('wins over the bundled binary and PATH', async () => {
    const r = await findServer(
      input({}),
      fsWith(local, bundled, onPath),
      execWith({ [local]: 'amplify-lsp 0.3.0', [bundled]: 'amplify-lsp 0.1.0', [onPath]: 'amplify-lsp 0.1.0' }),
    );
    assert.ok(r.ok);
    assert.equal(r.candidate.source, 'project');
    assert.equal(r.candidate.path, local);
    assert.equal(r.version, '0.3.0');
  });

  test('AMPLIFY_LSP_PATH and the setting still win over it', async () => {
    const exec = execWith({ '/s': 'amplify-lsp 0.1.0', [local]: 'amplify-lsp 0.1.0' });
    const r = await findServer(input({ setting: { user: '/s' } }), fsWith('/s', local), exec);
    assert.ok(r.ok && r.candidate.source === 'setting');
  });

  test('untrusted workspace: not tried (a note says why); the bundled binary is used', async () => {
    const exec = execWith({ [local]: 'amplify-lsp 0.1.0', [bundled]: 'amplify-lsp 0.1.0' });
    const r = await findServer(input({ workspaceTrusted: false }), fsWith(local, bundled), exec);
    assert.ok(r.ok && r.candidate.source === 'bundled');
    assert.ok(!exec.calls.some((c) => c.startsWith(local)), 'the project file was not even run');
    assert.match(r.notes.join('\n'), /project's amplify-lsp .* not used because the workspace is not trusted/);
  });

  test('untrusted, nothing installed in the project: no note', async () => {
    const r = await findServer(input({ workspaceTrusted: false }), fsWith(bundled), execWith({ [bundled]: 'amplify-lsp 0.1.0' }));
    assert.ok(r.ok);
    assert.deepEqual(r.notes, []);
  });

  test('a broken install (the launcher fails: platform package missing) is skipped with a note', async () => {
    const r = await findServer(input({}), fsWith(local, bundled), execWith({ [bundled]: 'amplify-lsp 0.1.0' }));
    assert.ok(r.ok && r.candidate.source === 'bundled');
    assert.match(r.notes.join('\n'), /skipped the project's amplify-lsp/);
  });
});

describe('version mismatch between the extension and a project-local server', () => {
  const found = (source: 'project' | 'bundled' | 'path', version: string) => ({
    candidate: { source, path: `/p/${source}`, explicit: false, label: source },
    version,
  });

  test('reported once, naming both versions and the fix', () => {
    const seen = new Set<string>();
    const msg = versionMismatchWarning('0.2.0', found('project', '0.1.0'), seen);
    assert.ok(msg);
    assert.match(msg, /project's amplify-lsp is version 0\.1\.0, this extension is version 0\.2\.0/);
    assert.match(msg, /npm install --save-dev amplify-lsp@0\.2\.0/);
    assert.equal(versionMismatchWarning('0.2.0', found('project', '0.1.0'), seen), undefined);
    // Another version of the project's server (after `npm install`) is news again.
    assert.match(versionMismatchWarning('0.2.0', found('project', '0.1.5'), seen) ?? '', /version 0\.1\.5/);
  });

  test('nothing when the versions agree, or when the server is not the project-local one', () => {
    const seen = new Set<string>();
    assert.equal(versionMismatchWarning('0.1.0', found('project', '0.1.0'), seen), undefined);
    assert.equal(versionMismatchWarning('0.2.0', found('bundled', '0.1.0'), seen), undefined);
    assert.equal(versionMismatchWarning('0.2.0', found('path', '0.1.0'), seen), undefined);
    assert.equal(seen.size, 0);
  });
});

describe('findServer', () => {
  const bundled = '/ext/server/amplify-lsp';
  const onPath = '/usr/bin/amplify-lsp';

  test('AMPLIFY_LSP_PATH wins over everything', async () => {
    const r = await findServer(
      input({ env: { ...base.env, AMPLIFY_LSP_PATH: '/e' }, setting: { user: '/s' } }),
      fsWith('/e', '/s', bundled, onPath),
      execWith({ '/e': 'amplify-lsp 0.2.0', '/s': 'amplify-lsp 0.1.0' }),
    );
    assert.ok(r.ok);
    assert.equal(r.candidate.source, 'env');
    assert.equal(r.version, '0.2.0');
  });

  test('the setting wins over the bundled binary', async () => {
    const r = await findServer(
      input({ setting: { user: '/s' } }),
      fsWith('/s', bundled),
      execWith({ '/s': 'amplify-lsp 0.1.0', [bundled]: 'amplify-lsp 0.1.0' }),
    );
    assert.ok(r.ok && r.candidate.source === 'setting');
  });

  test('the bundled binary wins over PATH', async () => {
    const r = await findServer(
      input({}),
      fsWith(bundled, onPath),
      execWith({ [bundled]: 'amplify-lsp 0.1.0', [onPath]: 'amplify-lsp 0.1.0' }),
    );
    assert.ok(r.ok && r.candidate.source === 'bundled');
  });

  test('PATH is used when nothing else exists; the first PATH hit wins', async () => {
    const r = await findServer(
      input({}),
      fsWith('/usr/local/bin/amplify-lsp', onPath),
      execWith({ '/usr/local/bin/amplify-lsp': 'amplify-lsp 0.1.0', [onPath]: 'amplify-lsp 0.1.0' }),
    );
    assert.ok(r.ok);
    assert.equal(r.candidate.path, '/usr/local/bin/amplify-lsp');
  });

  test('a bundled binary that fails --version (wrong platform) is skipped with a note', async () => {
    const r = await findServer(input({}), fsWith(bundled, onPath), execWith({ [onPath]: 'amplify-lsp 0.1.0' }));
    assert.ok(r.ok && r.candidate.source === 'path');
    assert.match(r.notes.join('\n'), /skipped the bundled server/);
  });

  test('a missing AMPLIFY_LSP_PATH file is an error, not a silent fallback', async () => {
    const exec = execWith({ [onPath]: 'amplify-lsp 0.1.0' });
    const r = await findServer(input({ env: { ...base.env, AMPLIFY_LSP_PATH: '/nope' } }), fsWith(onPath), exec);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.blame === 'env');
    assert.match(!r.ok ? r.message : '', /AMPLIFY_LSP_PATH \(\/nope\) does not exist/);
    assert.deepEqual(exec.calls, []);
  });

  test('a setting pointing at a non-amplify binary is an error naming the setting', async () => {
    const r = await findServer(
      input({ setting: { user: '/usr/bin/node' } }),
      fsWith('/usr/bin/node', onPath),
      execWith({ '/usr/bin/node': 'v20.0.0', [onPath]: 'amplify-lsp 0.1.0' }),
    );
    assert.ok(!r.ok && r.blame === 'setting');
    assert.match(!r.ok ? r.message : '', /amplifyLsp\.server\.path/);
  });

  test('nothing found: an actionable message with the install command and the setting', async () => {
    const r = await findServer(input({}), fsWith(), execWith({}));
    assert.equal(r.ok, false);
    const msg = !r.ok ? r.message : '';
    assert.match(msg, /not found/);
    assert.match(msg, /npm install --save-dev amplify-lsp/);
    assert.match(msg, /cargo install --locked --path server/);
    assert.match(msg, /amplifyLsp\.server\.path/);
    assert.match(msg, /AMPLIFY_LSP_PATH/);
  });

  test('version is checked before a candidate is accepted', async () => {
    const exec = execWith({ [onPath]: 'amplify-lsp 0.1.0' });
    await findServer(input({}), fsWith(onPath), exec);
    assert.deepEqual(exec.calls, [`${onPath} --version`]);
  });
});
