import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  classifyChange,
  DOCS_PLATFORMS,
  LOG_LEVELS,
  toDidChangeConfigurationParams,
  toInitializationOptions,
} from '../../src/settings';

// out/test/unit -> the extension folder
const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const props = manifest.contributes.configuration.properties as Record<string, { default?: unknown; enum?: string[] }>;

describe('settings -> initializationOptions', () => {
  test('valid values pass through under the server key names', () => {
    const r = toInitializationOptions({ docsPlatform: 'vue', logLevel: 'debug', syntaxErrors: true, maxFileSize: 2_000_000 });
    assert.deepEqual(r.settings, { docsPlatform: 'vue', logLevel: 'debug', syntaxErrors: true, maxFileSize: 2_000_000 });
    assert.deepEqual(r.warnings, []);
  });

  test('unset values are left out so the server default applies', () => {
    const r = toInitializationOptions({ docsPlatform: undefined, logLevel: '', syntaxErrors: undefined, maxFileSize: null });
    assert.deepEqual(r.settings, {});
    assert.deepEqual(r.warnings, []);
  });

  test('false is sent (it is a value, not "unset")', () => {
    assert.deepEqual(toInitializationOptions({ syntaxErrors: false }).settings, { syntaxErrors: false });
  });

  test('invalid values are dropped with one warning each', () => {
    const r = toInitializationOptions({ docsPlatform: 'svelte', logLevel: 'loud', syntaxErrors: 'yes', maxFileSize: -5 });
    assert.deepEqual(r.settings, {});
    assert.equal(r.warnings.length, 4);
    assert.match(r.warnings[0], /docsPlatform: "svelte"/);
    assert.match(r.warnings[3], /maxFileSize/);
    assert.deepEqual(toInitializationOptions({ maxFileSize: 1.5 }).settings, {});
  });

  test('didChangeConfiguration carries the same object under settings.amplifyLsp', () => {
    assert.deepEqual(toDidChangeConfigurationParams({ docsPlatform: 'swift', logLevel: 'bogus' }), {
      settings: { amplifyLsp: { docsPlatform: 'swift' } },
    });
  });

  test('the defaults in package.json all convert without warnings', () => {
    const r = toInitializationOptions({
      docsPlatform: props['amplifyLsp.docsPlatform'].default,
      logLevel: props['amplifyLsp.logLevel'].default,
      syntaxErrors: props['amplifyLsp.syntaxErrors'].default,
      maxFileSize: props['amplifyLsp.maxFileSize'].default,
      hideTypeScriptDuplicates: props['amplifyLsp.completion.hideTypeScriptDuplicates'].default,
    });
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(Object.keys(r.settings).sort(), ['completion', 'docsPlatform', 'logLevel', 'syntaxErrors']);
    assert.deepEqual(r.settings.completion, { hideTypeScriptDuplicates: true });
  });

  test('completion.hideTypeScriptDuplicates: a boolean under `completion`, anything else dropped', () => {
    assert.deepEqual(toInitializationOptions({ hideTypeScriptDuplicates: false }), {
      settings: { completion: { hideTypeScriptDuplicates: false } },
      warnings: [],
    });
    const r = toDidChangeConfigurationParams({ hideTypeScriptDuplicates: true });
    assert.deepEqual(r, { settings: { amplifyLsp: { completion: { hideTypeScriptDuplicates: true } } } });
    const bad = toInitializationOptions({ hideTypeScriptDuplicates: 'yes' });
    assert.deepEqual(bad.settings, {});
    assert.match(bad.warnings[0], /completion\.hideTypeScriptDuplicates/);
  });

  test('package.json enums match what the converter accepts', () => {
    assert.deepEqual(props['amplifyLsp.docsPlatform'].enum, [...DOCS_PLATFORMS]);
    assert.deepEqual(props['amplifyLsp.logLevel'].enum, [...LOG_LEVELS]);
  });
});

describe('which changes restart and which reconfigure', () => {
  const only = (key: string) => (s: string) => s === key || key.startsWith(`${s}.`);

  test('server.path restarts', () => {
    assert.equal(classifyChange(only('amplifyLsp.server.path')), 'restart');
  });
  for (const key of ['docsPlatform', 'logLevel', 'syntaxErrors', 'maxFileSize', 'completion.hideTypeScriptDuplicates']) {
    test(`${key} reconfigures`, () => {
      assert.equal(classifyChange(only(`amplifyLsp.${key}`)), 'reconfigure');
    });
  }
  test('trace.server is left to the language client', () => {
    assert.equal(classifyChange(only('amplifyLsp.trace.server')), 'none');
  });
  test('other extensions settings do nothing', () => {
    assert.equal(classifyChange(only('typescript.tsdk')), 'none');
  });
  test('every contributed setting is handled somewhere', () => {
    for (const key of Object.keys(props)) {
      const action = classifyChange(only(key));
      if (key === 'amplifyLsp.trace.server') continue;
      assert.notEqual(action, 'none', `${key} changes are ignored`);
    }
  });
});

describe('manifest', () => {
  test('the server lookup order in the docs is the one discovery.ts uses (project-local step included)', () => {
    const setting = manifest.contributes.configuration.properties['amplifyLsp.server.path'].markdownDescription as string;
    const order = ['`AMPLIFY_LSP_PATH`', 'node_modules/.bin/amplify-lsp', 'bundled', '`PATH`', '.cargo/bin'];
    const at = order.map((w) => setting.indexOf(w));
    assert.ok(at.every((i) => i >= 0), `server.path description misses one of ${order.join(', ')}: ${setting}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, `server.path description lists them out of order: ${setting}`);
    const untrusted = manifest.capabilities.untrustedWorkspaces.description as string;
    assert.match(untrusted, /node_modules\/\.bin\/amplify-lsp/);
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const list = readme.slice(readme.indexOf('looks for the server in this order'));
    const steps = [...list.matchAll(/^(\d)\. (.*)$/gm)].slice(0, 6).map((m) => `${m[1]} ${m[2]}`);
    assert.match(steps[0], /^1 .*AMPLIFY_LSP_PATH/);
    assert.match(steps[1], /^2 .*amplifyLsp\.server\.path/);
    assert.match(steps[2], /^3 .*npm install --save-dev amplify-lsp/);
    assert.match(steps[3], /^4 .*bundled/);
    assert.match(steps[4], /^5 .*PATH/);
    assert.match(steps[5], /^6 .*cargo/);
  });

  test('activation events and commands', () => {
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:amplify/backend.ts',
      'workspaceContains:**/amplify/backend.ts',
      'onLanguage:typescript',
      'onLanguage:typescriptreact',
      'onLanguage:javascript',
      'onLanguage:javascriptreact',
    ]);
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(commands, ['amplifyLsp.restartServer', 'amplifyLsp.showOutput']);
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['amplifyLsp.server.path']);
  });
  test('the client library is the v9 line the tests use (bundled, so a devDependency)', () => {
    assert.equal(manifest.devDependencies['vscode-languageclient'], '9.0.1');
    assert.equal(manifest.devDependencies['vscode-languageserver-protocol'], '3.17.5');
  });
  test('no runtime dependencies: esbuild bundles everything into dist/extension.js', () => {
    assert.deepEqual(manifest.dependencies ?? {}, {});
  });
});
