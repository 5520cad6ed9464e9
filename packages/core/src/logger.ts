/**
 * The logging interface the core writes to. Entry points pass one backed by `@actions/core`;
 * tests pass {@link silentLogger} or a recording one. The core never imports `@actions/core` for logging.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
};

/** A logger that keeps every line, for tests. */
export function recordingLogger(): Logger & { lines: Array<{ level: keyof Logger; message: string }> } {
  const lines: Array<{ level: keyof Logger; message: string }> = [];
  const record = (level: keyof Logger) => (message: string) => {
    lines.push({ level, message });
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warning: record('warning'),
    error: record('error'),
  };
}
