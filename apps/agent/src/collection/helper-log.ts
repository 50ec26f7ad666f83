import { writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CollectLog } from '../collectors/lib/context';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
/** Keys whose values never reach a log line, as the agent's pino logger redacts them (src/logger.ts). */
const SECRET = new Set(['token', 'credential']);

/**
 * The helper process's log: lines in pino's format (`level`, `time`, `pid`, `hostname`, the
 * fields, `msg`) on stderr, which the helper shares with the agent. Not pino itself: the helper
 * starts every collection and logs a few warnings at most, and loading pino (its worker-thread
 * transport, `assert` and the rest) was about 10 ms of CPU of every cycle.
 */
export function helperLog(
  level = process.env.PLUMBLINE_LOG_LEVEL ?? 'info',
  write: (line: string) => void = (line) => writeSync(2, line),
): CollectLog {
  const least = LEVELS[level] ?? LEVELS.info!;
  const at = (n: number) => (obj: object, msg: string) => {
    if (n < least) return;
    const line = { level: n, time: Date.now(), pid: process.pid, hostname: hostname(), ...fields(obj), msg };
    write(`${JSON.stringify(line)}\n`);
  };
  return { debug: at(LEVELS.debug!), warn: at(LEVELS.warn!) };
}

/** An error as pino's serializer writes it; a secret's value redacted, at any depth. */
function fields(value: object): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => {
      if (SECRET.has(key)) return '[redacted]';
      if (v instanceof Error) return { type: v.name, message: v.message, stack: v.stack };
      return v;
    }),
  ) as Record<string, unknown>;
}
