// Settings -> what the server receives. No `vscode` import here, so the unit tests can load it.

/** The configuration section of the extension, and the key the server reads settings from. */
export const SECTION = 'amplifyLsp';

export const DOCS_PLATFORMS = [
  'react',
  'nextjs',
  'vue',
  'angular',
  'javascript',
  'react-native',
  'flutter',
  'swift',
  'android',
] as const;
export type DocsPlatform = (typeof DOCS_PLATFORMS)[number];

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The values as VS Code hands them over (`WorkspaceConfiguration.get`): anything may be wrong. */
export interface RawSettings {
  docsPlatform?: unknown;
  logLevel?: unknown;
  syntaxErrors?: unknown;
  maxFileSize?: unknown;
  /** `amplifyLsp.completion.hideTypeScriptDuplicates` */
  hideTypeScriptDuplicates?: unknown;
}

/** The `completion` object the server reads. */
export interface CompletionSettings {
  /**
   * When the project's `node_modules` holds `@aws-amplify/backend`, TypeScript completes the same
   * property keys, `a.` / `allow.` members and literals itself: the server then leaves those out.
   */
  hideTypeScriptDuplicates?: boolean;
}

/** `initializationOptions`, and the `amplifyLsp` object of `workspace/didChangeConfiguration`. */
export interface ServerSettings {
  docsPlatform?: DocsPlatform;
  logLevel?: LogLevel;
  syntaxErrors?: boolean;
  maxFileSize?: number;
  completion?: CompletionSettings;
}

export interface Converted {
  settings: ServerSettings;
  /** One line per value that was dropped, for the output channel. */
  warnings: string[];
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/**
 * Keeps the valid values and drops the rest (with a warning), so a typo in settings.json never
 * reaches the server as garbage. Unset values (undefined / null / '') are left out, which lets the
 * server apply its own default.
 */
export function toServerSettings(raw: RawSettings): Converted {
  const settings: ServerSettings = {};
  const warnings: string[] = [];
  const unset = (v: unknown) => v === undefined || v === null || v === '';

  if (!unset(raw.docsPlatform)) {
    if (isOneOf(DOCS_PLATFORMS, raw.docsPlatform)) settings.docsPlatform = raw.docsPlatform;
    else
      warnings.push(
        `${SECTION}.docsPlatform: ${JSON.stringify(raw.docsPlatform)} is not one of ${DOCS_PLATFORMS.join(', ')}; ignored`,
      );
  }
  if (!unset(raw.logLevel)) {
    if (isOneOf(LOG_LEVELS, raw.logLevel)) settings.logLevel = raw.logLevel;
    else
      warnings.push(
        `${SECTION}.logLevel: ${JSON.stringify(raw.logLevel)} is not one of ${LOG_LEVELS.join(', ')}; ignored`,
      );
  }
  if (!unset(raw.syntaxErrors)) {
    if (typeof raw.syntaxErrors === 'boolean') settings.syntaxErrors = raw.syntaxErrors;
    else warnings.push(`${SECTION}.syntaxErrors: expected true or false, got ${JSON.stringify(raw.syntaxErrors)}; ignored`);
  }
  if (!unset(raw.maxFileSize)) {
    const n = raw.maxFileSize;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) settings.maxFileSize = n;
    else warnings.push(`${SECTION}.maxFileSize: expected a positive whole number of bytes, got ${JSON.stringify(n)}; ignored`);
  }
  if (!unset(raw.hideTypeScriptDuplicates)) {
    const v = raw.hideTypeScriptDuplicates;
    if (typeof v === 'boolean') settings.completion = { hideTypeScriptDuplicates: v };
    else
      warnings.push(
        `${SECTION}.completion.hideTypeScriptDuplicates: expected true or false, got ${JSON.stringify(v)}; ignored`,
      );
  }
  return { settings, warnings };
}

/** The `initializationOptions` of the `initialize` request. */
export function toInitializationOptions(raw: RawSettings): Converted {
  return toServerSettings(raw);
}

/** The params of `workspace/didChangeConfiguration`: `{ settings: { amplifyLsp: {...} } }`. */
export function toDidChangeConfigurationParams(raw: RawSettings): {
  settings: { [SECTION]: ServerSettings };
} {
  return { settings: { [SECTION]: toServerSettings(raw).settings } };
}

/** What a settings change requires. */
export type ChangeAction = 'restart' | 'reconfigure' | 'none';

/** Settings whose change needs a new server process. */
export const RESTART_KEYS = ['server.path'] as const;
/** Settings the running server picks up from `workspace/didChangeConfiguration`. */
export const RECONFIGURE_KEYS = [
  'docsPlatform',
  'logLevel',
  'syntaxErrors',
  'maxFileSize',
  'completion.hideTypeScriptDuplicates',
] as const;

/**
 * Classifies a configuration change. `affects` is `ConfigurationChangeEvent.affectsConfiguration`
 * (or a stand-in in tests). `trace.server` needs nothing from us: the language client watches it.
 */
export function classifyChange(affects: (section: string) => boolean): ChangeAction {
  if (RESTART_KEYS.some((k) => affects(`${SECTION}.${k}`))) return 'restart';
  if (RECONFIGURE_KEYS.some((k) => affects(`${SECTION}.${k}`))) return 'reconfigure';
  return 'none';
}
