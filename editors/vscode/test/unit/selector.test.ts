import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backendSelector, documentSelector, globLiteral, projectRoots } from '../../src/selector';

const BACKEND = [
  { scheme: 'file', language: 'typescript', pattern: '**/amplify/**' },
  { scheme: 'file', language: 'typescriptreact', pattern: '**/amplify/**' },
];
const frontend = (pattern: string) =>
  ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language, pattern }));

/**
 * A small stand-in for VS Code's matcher on the filters we produce: the language must be equal and
 * the pattern is either `**\/amplify/**` or `<root>/**` (a folder prefix), on forward-slash paths.
 */
function matches(filters: ReturnType<typeof documentSelector>, language: string, fsPath: string): boolean {
  const p = fsPath.replace(/\\/g, '/');
  return filters.some((f) => {
    if (f.language !== language) return false;
    if (f.pattern === '**/amplify/**') return p.split('/').slice(0, -1).includes('amplify');
    assert.ok(f.pattern.endsWith('/**') && !/[*?{[]/.test(f.pattern.slice(0, -3)), `unexpected pattern ${f.pattern}`);
    return p.startsWith(f.pattern.slice(0, -2));
  });
}

describe('document selector', () => {
  test('the start decision only looks at TypeScript under amplify/', () => {
    assert.deepEqual(backendSelector(), BACKEND);
  });

  test('no Amplify project in the workspace: backend filters only', () => {
    assert.deepEqual(documentSelector([]), BACKEND);
    const s = documentSelector([]);
    assert.equal(matches(s, 'typescript', '/home/dev/plain/src/index.ts'), false);
    assert.equal(matches(s, 'javascript', '/home/dev/plain/src/main.js'), false);
    assert.equal(matches(s, 'typescript', '/home/dev/plain/amplify/data/resource.ts'), true);
  });

  test('one project: its frontend files in the four languages, files of other folders not', () => {
    const s = documentSelector(['/home/dev/app/amplify/backend.ts']);
    assert.deepEqual(s, [...BACKEND, ...frontend('/home/dev/app/**')]);
    for (const [language, file] of [
      ['typescriptreact', '/home/dev/app/src/App.tsx'],
      ['javascript', '/home/dev/app/src/main.js'],
      ['javascriptreact', '/home/dev/app/src/Page.jsx'],
      ['typescript', '/home/dev/app/src/client.mts'],
      ['typescriptreact', '/home/dev/app/amplify/data/Widget.tsx'],
    ])
      assert.equal(matches(s, language, file), true, file);
    // Another workspace folder that is not an Amplify project, and a sibling whose name starts alike.
    assert.equal(matches(s, 'typescript', '/home/dev/lib/src/index.ts'), false);
    assert.equal(matches(s, 'typescript', '/home/dev/app-old/src/index.ts'), false);
    // Other languages are never sent.
    assert.equal(matches(s, 'vue', '/home/dev/app/src/App.vue'), false);
    assert.equal(matches(s, 'json', '/home/dev/app/package.json'), false);
  });

  test('several projects (monorepo), duplicates and a backend inside node_modules', () => {
    const roots = projectRoots([
      '/repo/apps/web/amplify/backend.ts',
      '/repo/apps/admin/amplify/backend.ts',
      '/repo/apps/web/amplify/backend.ts',
      '/repo/node_modules/some-template/amplify/backend.ts',
      '/repo/apps/web/amplify/data/resource.ts', // not a backend.ts: ignored
    ]);
    assert.deepEqual(roots, ['/repo/apps/admin', '/repo/apps/web']);
    const s = documentSelector(['/repo/apps/web/amplify/backend.ts', '/repo/apps/admin/amplify/backend.ts']);
    assert.equal(s.length, BACKEND.length + 8);
    assert.equal(matches(s, 'typescript', '/repo/apps/web/src/main.ts'), true);
    assert.equal(matches(s, 'typescript', '/repo/apps/admin/src/main.ts'), true);
    assert.equal(matches(s, 'typescript', '/repo/packages/ui/src/index.ts'), false);
  });

  test('Windows paths become forward-slash globs', () => {
    const s = documentSelector(['c:\\Users\\dev\\app\\amplify\\backend.ts']);
    assert.deepEqual(s, [...BACKEND, ...frontend('c:/Users/dev/app/**')]);
    assert.equal(matches(s, 'typescriptreact', 'c:\\Users\\dev\\app\\src\\App.tsx'), true);
    assert.equal(matches(s, 'typescriptreact', 'c:\\Users\\dev\\other\\src\\App.tsx'), false);
    assert.deepEqual(projectRoots(['\\\\server\\share\\app\\amplify\\backend.ts']), ['//server/share/app']);
  });

  test('glob characters in a folder name are matched literally', () => {
    assert.equal(globLiteral('/home/dev/app'), '/home/dev/app');
    assert.equal(globLiteral('/home/dev/{app}*?'), '/home/dev/[{]app[}][*][?]');
    assert.equal(globLiteral('/x/[a]'), '/x/[[]a[\\]]');
    assert.deepEqual(
      documentSelector(['/home/dev/my{app}/amplify/backend.ts']).at(-1),
      { scheme: 'file', language: 'javascriptreact', pattern: '/home/dev/my[{]app[}]/**' },
    );
  });
});
