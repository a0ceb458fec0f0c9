// Which documents the language client sends to the server. No `vscode` import here: the extension
// passes in the `amplify/backend.ts` files it found and the unit tests pass in plain paths.

/** A `vscode.DocumentFilter` as the client gets it (one language per filter). */
export interface Filter {
  scheme: 'file';
  language: string;
  pattern: string;
}

/** Backend files: TypeScript (and TSX) anywhere under an `amplify/` folder. */
export const BACKEND_LANGUAGES = ['typescript', 'typescriptreact'] as const;
/** Frontend files (.ts .tsx .js .jsx .mts .mjs .cts .cjs): VS Code's language ids for them. */
export const FRONTEND_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

/**
 * The filters that decide whether the extension starts the server (an Amplify backend file is
 * open): TypeScript under any `amplify/` folder, as before frontend files were served.
 */
export function backendSelector(): Filter[] {
  return BACKEND_LANGUAGES.map((language) => ({ scheme: 'file', language, pattern: '**/amplify/**' }));
}

/** `p` with forward slashes and no trailing slash (VS Code's globs match `/` against `\` too). */
function slashes(p: string): string {
  const s = p.replace(/\\/g, '/');
  return s.length > 1 && s.endsWith('/') ? s.slice(0, -1) : s;
}

/**
 * The Amplify project roots, one per `amplify/backend.ts` file (its folder's parent), as absolute
 * paths with forward slashes, sorted, without duplicates. A backend inside `node_modules` (a
 * package that ships an example) is not a project.
 */
export function projectRoots(backendFiles: readonly string[]): string[] {
  const roots = new Set<string>();
  for (const file of backendFiles) {
    const parts = slashes(file).split('/');
    // .../<root>/amplify/backend.ts
    if (parts.length < 3 || parts.at(-1) !== 'backend.ts' || parts.at(-2) !== 'amplify') continue;
    const rootParts = parts.slice(0, -2);
    if (rootParts.includes('node_modules')) continue;
    const root = rootParts.join('/');
    roots.add(root === '' ? '/' : root);
  }
  return [...roots].sort();
}

/**
 * A folder path made safe as the literal start of a glob: VS Code's glob syntax has no escape
 * character, so each special character becomes a one-character class (`{` -> `[{]`).
 */
export function globLiteral(p: string): string {
  return p.replace(/[*?{}[\]]/g, (c) => (c === ']' ? '[\\]]' : `[${c}]`));
}

/**
 * The client's document selector: backend files under any `amplify/` folder, plus TypeScript and
 * JavaScript (with JSX) files anywhere below an Amplify project root, i.e. a folder holding
 * `amplify/backend.ts`. A workspace without such a folder gets the backend filters only, so no
 * file of a plain TypeScript or JavaScript project is ever sent. Files under `node_modules/` of a
 * project do match (a glob cannot leave out a folder); the server does not treat them as frontend
 * code.
 */
export function documentSelector(backendFiles: readonly string[]): Filter[] {
  const filters = backendSelector();
  for (const root of projectRoots(backendFiles)) {
    const base = globLiteral(root === '/' ? '' : root);
    for (const language of FRONTEND_LANGUAGES) filters.push({ scheme: 'file', language, pattern: `${base}/**` });
  }
  return filters;
}
