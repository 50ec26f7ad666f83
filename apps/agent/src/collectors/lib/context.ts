import type { Logger } from 'pino';

export interface CollectContext {
  /** '/' on a live host, or the --root directory. */
  root: string;
  /** True only on the live host (root '/' and no --root): then /proc, /sys and read-only commands may be used. */
  live: boolean;
  log: Logger;
}
