/**
 * What collectors log with: a pino logger, or in the helper process of `run` the smaller
 * collection/helper-log.ts.
 */
export interface CollectLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CollectContext {
  /** '/' on a live host, or the --root directory. */
  root: string;
  /** True only on the live host (root '/' and no --root): then /proc, /sys and read-only commands may be used. */
  live: boolean;
  log: CollectLog;
}
