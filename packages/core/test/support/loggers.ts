/** Loggers for tests: one that drops everything, one that keeps every line. */
import type { Logger } from '../../src/logger.js';

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
