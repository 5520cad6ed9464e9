/**
 * The logging interface the core writes to. Entry points pass one backed by `@actions/core`;
 * tests pass their own. The core never imports `@actions/core` for logging.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}
