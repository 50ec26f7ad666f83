import { setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import type { Logger } from 'pino';

/** Exit code when the watchdog stops the agent; the service manager restarts it. */
export const EXIT_MEMORY = 70;

/**
 * V8's memory-lean mode for the long-running service: smaller heap growth steps and
 * earlier release of unused bytecode. Node accepts the flag neither in NODE_OPTIONS nor,
 * for the packaged single executable, on a command line, so it is set here, before the
 * agent builds most of its heap. Measured with apps/agent/bench/footprint.mjs: steady RSS
 * 61-64 MB without, 57-58 MB with, CPU per collection unchanged.
 */
export function leanHeap(): void {
  setFlagsFromString('--optimize-for-size');
}

/**
 * A full garbage collection once a cycle's messages are out: the cycle's garbage (file
 * contents, command output, parsed copies) is dead then, and collecting it at once returns
 * the pages it took instead of letting the heap grow until V8 next decides to. The runtime
 * exposes `gc` with --expose-gc (runtime-env.json); without it this does nothing. Measured
 * with apps/agent/bench/footprint.mjs: about 10-17 ms of CPU a cycle.
 */
export function releaseCycleGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Collection is background work: yield the CPU to the host's real job. */
export function lowerPriority(log: Logger, niceness = 10): void {
  try {
    setPriority(niceness);
  } catch (err) {
    log.debug({ err }, 'could not lower the process priority');
  }
}

/**
 * Stops the agent when its resident memory stays above `limitMb` for two checks in a
 * row: a leak or a pathological host must not starve the machine the agent watches.
 */
export function startMemoryWatchdog(
  limitMb: number,
  log: Logger,
  everyMs = 10_000,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  let strikes = 0;
  const timer = setInterval(() => {
    const rssMb = process.memoryUsage.rss() / 1024 / 1024;
    strikes = rssMb > limitMb ? strikes + 1 : 0;
    if (strikes >= 2) {
      log.fatal({ rssMb: Math.round(rssMb), limitMb }, 'memory above the limit; exiting so the service manager restarts the agent');
      exit(EXIT_MEMORY);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
