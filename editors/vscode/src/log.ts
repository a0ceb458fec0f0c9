// The "Amplify LSP" output channel as vscode-languageclient 9 writes to it. No `vscode` import here,
// so the unit tests can load it.
//
// Why this exists. The extension's channel is a LogOutputChannel (`createOutputChannel(name,
// { log: true })`): VS Code puts its own timestamp and level in front of every line. But
// vscode-languageclient 9.0.1 formats its messages for a plain channel:
//
//   - `window/logMessage` from the server, and the client's own messages, go through
//     `logOutputMessage`, which calls `outputChannel.appendLine('[Info  - 3:15:02 PM] text')`. A
//     LogOutputChannel logs `appendLine` at Info with its own stamp, so every line showed
//     `2026-12-05 15:15:02.123 [info] [Info  - 3:15:02 PM] text`: two timestamps and two levels,
//     and a server error or debug line was filed under [info].
//   - The server's stderr is passed on with `outputChannel.append(chunk)`: again [info], with the
//     server's own timestamp and level inside.
//   - When the server process exits, `node/main.js` logs `this.error('Server process exited with
//     code ${code}.')` for any code, 0 included, so every normal stop or restart printed
//     "[Error - ...] Server process exited with code 0.".
//
// The client takes any object with the OutputChannel methods as `outputChannel`, so it gets this
// adapter: it takes the client's `[Level - time]` prefix off and logs the text at that level, logs
// a line of stderr at the level the server's log line names (without its timestamp), and reports
// exit code 0 at [info] as a normal exit.

/** `vscode.LogLevel` values. */
export const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 } as const;
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The part of `vscode.LogOutputChannel` this adapter writes to. */
export interface LogSink {
  readonly name: string;
  readonly logLevel: number;
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
  hide(): void;
  clear(): void;
  dispose(): void;
}

const CLIENT_PREFIX = /^\[(Trace|Debug|Info|Warn|Error)\s*- [^\]]*\] ?/;
const CLIENT_LEVELS: Record<string, Level> = {
  Trace: 'trace',
  Debug: 'debug',
  Info: 'info',
  Warn: 'warn',
  Error: 'error',
};
/** A line the server's `tracing` subscriber writes to stderr: `2026-...Z  INFO text`. */
const STDERR_LINE = /^\s*\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+/;
const NORMAL_EXIT = /^Server process exited with code 0\.?$/;
const LEVEL_VALUE: Record<Level, number> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warn: LogLevel.Warning,
  error: LogLevel.Error,
};

/**
 * The `outputChannel` given to the LanguageClient. Implements the OutputChannel methods the client
 * calls (`append`, `appendLine`, `replace`, `clear`, `show`, `hide`, `dispose`, `name`).
 */
export class ClientLogChannel {
  /** Level of the last prefixed message: the client writes extra lines (a stack) right after it. */
  private continuation: Level | undefined;
  private partial = '';

  constructor(private readonly sink: LogSink) {}

  get name(): string {
    return this.sink.name;
  }

  /** A line from the client library: `[Level - time] text`, or a raw line. */
  appendLine(value: string): void {
    const m = CLIENT_PREFIX.exec(value);
    if (m) {
      let level = CLIENT_LEVELS[m[1]] ?? 'info';
      const text = value.slice(m[0].length);
      if (level === 'error' && NORMAL_EXIT.test(text.trim())) level = 'info';
      this.write(level, text);
      // Lines that follow synchronously (the data of the message, e.g. a stack) keep its level.
      this.continuation = level;
      queueMicrotask(() => {
        this.continuation = undefined;
      });
      return;
    }
    // Without a prefix: the data of the message just logged, or a `window/logMessage` of type
    // Log (4), which the client writes as it is.
    this.write(this.continuation ?? 'debug', value);
  }

  /** Text from the server's stderr (or stdout), in chunks of any size: logged line by line. */
  append(value: string): void {
    this.partial += value;
    const lines = this.partial.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.stderrLine(line);
  }

  /** The rest of a stderr chunk that did not end with a newline. */
  flush(): void {
    if (this.partial !== '') this.stderrLine(this.partial);
    this.partial = '';
  }

  replace(value: string): void {
    this.sink.clear();
    this.append(value);
    this.flush();
  }

  clear(): void {
    this.sink.clear();
  }

  show(columnOrPreserveFocus?: unknown, preserveFocus?: boolean): void {
    this.sink.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus);
  }

  hide(): void {
    this.sink.hide();
  }

  /** The client disposes the channel it was given only if it created it; keep the sink. */
  dispose(): void {
    this.flush();
  }

  private stderrLine(line: string): void {
    if (line.trim() === '') return;
    const m = STDERR_LINE.exec(line);
    if (m) this.write(m[1].toLowerCase() as Level, line.slice(m[0].length));
    else this.write('info', line);
  }

  /**
   * Logs at `level`. Debug and trace lines come only when `amplifyLsp.logLevel` asks for them; if
   * the channel's own level (the Output view's filter, Info by default) would hide them, they are
   * written at Info so that the setting alone is enough to see them.
   */
  private write(level: Level, text: string): void {
    const shown = LEVEL_VALUE[level] >= this.sink.logLevel || this.sink.logLevel === LogLevel.Off;
    if (!shown && (level === 'debug' || level === 'trace')) level = 'info';
    this.sink[level](text);
  }
}
