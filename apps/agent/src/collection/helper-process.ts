import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import helperFlags from '../../helper-flags.json' with { type: 'json' };
import { selfCommand } from '../install/self';
import type { SpoolVerdict } from '../spool/entry';
import { readCollection } from './collection';
import type { FactWork } from './fact-work';

/** Longer than any collector's own deadline (20 s) with its commands: past it the helper hangs. */
const DEADLINE_MS = 60_000;
/** A collection is a few hundred KB; past this the helper is not answering what was asked. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

class HelperTimeout extends Error {}

/**
 * Node flags the helper runs with beyond the agent's own (apps/agent/helper-flags.json; the
 * build writes the helper's code cache under them too, as V8 takes a cache only under the
 * flags it was made with). `--single-threaded-gc`: a helper lives a fraction of a second, and
 * V8's collector threads cost it 15-20 ms of CPU on two cores (the median of the differences
 * of 41 interleaved pairs of runs, of about 450 ms each). Node accepts it only on the command line.
 */
export const HELPER_NODE_FLAGS: readonly string[] = helperFlags;

/**
 * Node 20's V8, under --jitless, prints "Warning: disabling flag --expose_wasm due to
 * conflicting flags" on stderr at every start: a line that is not a log record in the
 * service's journal, every cycle. Turning WebAssembly off first quiets it (the flag's value, and
 * so the code cache's fit, is the same); later V8s print nothing, and Node refuses the flag.
 */
export function quietJitless(execArgv: readonly string[], nodeOptions: string, v8Version = process.versions.v8): string[] {
  const jitless = execArgv.includes('--jitless') || nodeOptions.split(/\s+/).includes('--jitless');
  return jitless && Number(v8Version.split('.')[0]) < 12 ? ['--no-expose-wasm'] : [];
}

/**
 * How to start the helper: the single executable with `collect` / `check-spool` (its runtime
 * flags are built in), or Node with this process's own flags and the helper's, and the helper's
 * own entry beside the agent's script (dist/helper-entry.cjs), else the agent's script itself.
 */
export async function helperCommand(): Promise<string[]> {
  const [file, ...script] = await selfCommand();
  if (!script.length) return [file!];
  const entry = path.join(path.dirname(script[0]!), 'helper-entry.cjs');
  const found = await access(entry).then(
    () => true,
    () => false,
  );
  const flags = [...(found ? HELPER_NODE_FLAGS : []), ...quietJitless(process.execArgv, process.env.NODE_OPTIONS ?? '')];
  return [file!, ...process.execArgv, ...flags.filter((f) => !process.execArgv.includes(f)), found ? entry : script[0]!];
}

/**
 * FactWork in a helper process started for each piece of work (`plumbline-agent collect`,
 * `check-spool`) and gone with it. The long-running agent's memory then holds the connection,
 * the spool and the digests of the last collection only: the collectors, the fact schemas
 * and a cycle's garbage (about 8 MB) live and die with the helper.
 */
export function helperProcessWork(command: string[], log: Logger): FactWork {
  let current: ChildProcess | null = null;
  let pooledReads = false;

  const run = (args: string[], input?: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const [file, ...before] = command;
      // Its log lines go where the agent's go (stderr is shared).
      const child = spawn(file!, [...before, ...args], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'] });
      current = child;
      // A helper that dies before reading its input must not take the agent with it (EPIPE).
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
      const chunks: Buffer[] = [];
      let bytes = 0;
      let settled = false;
      const settle = (err: Error | null, out?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (current === child) current = null;
        if (err) reject(err);
        else resolve(out!);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(new HelperTimeout(`${args[0]} did not finish within ${DEADLINE_MS / 1000} s`));
      }, DEADLINE_MS);
      child.stdout!.on('data', (d: Buffer) => {
        bytes += d.length;
        if (bytes <= MAX_OUTPUT_BYTES) chunks.push(d);
        else {
          child.kill('SIGKILL');
          settle(new Error(`${args[0]} printed more than ${MAX_OUTPUT_BYTES} bytes`));
        }
      });
      child.on('error', (err) => settle(err));
      child.on('close', (code, signal) =>
        code === 0
          ? settle(null, Buffer.concat(chunks))
          : settle(new Error(`${args[0]} exited with ${code ?? signal} (its reason is logged before this)`)),
      );
    });

  const work: FactWork = {
    async collect(where, known) {
      const args = [
        'collect',
        ...(where.live ? [] : ['--root', where.root]),
        ...(pooledReads ? ['--pooled-reads'] : []),
        ...(known ? ['--known-digests-on-stdin'] : []),
      ];
      try {
        return readCollection(await run(args, known ? JSON.stringify(Object.fromEntries(known)) : undefined), known);
      } catch (err) {
        if (!(err instanceof HelperTimeout) || pooledReads) throw err;
        // Most likely a read that never returns: from now on each collector waits on its own.
        pooledReads = true;
        log.warn({ reason: err.message }, 'collection stalled; collecting with a deadline per source from now on');
        return work.collect(where, known);
      }
    },
    async checkSpool(dir) {
      return new Map(Object.entries(JSON.parse((await run(['check-spool', dir])).toString('utf8')) as Record<string, SpoolVerdict>));
    },
    cancel() {
      current?.kill('SIGTERM');
    },
  };
  return work;
}
