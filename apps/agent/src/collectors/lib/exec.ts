import { execFile } from 'node:child_process';
import { CollectorError } from './errors';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends CollectorError {}

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Runs a read-only command for a live host. A non-zero exit is an answer (many tools use it
 * to say "no"); only "could not run it" or "it did not finish" reject. LC_ALL=C because we
 * parse the output, and a fixed PATH because the agent's own environment is not trusted.
 */
export function runCommand(cmd: string, args: string[], { timeoutMs = 5000 }: { timeoutMs?: number } = {}): Promise<CommandResult> {
  const shown = [cmd, ...args].join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
        windowsHide: true,
        env: { LC_ALL: 'C', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
        if (e.code === 'ENOENT') {
          return reject(new CommandError('PLUMBLINE_ERR_COMMAND_NOT_FOUND', `${cmd} not found`));
        }
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(new CommandError('PLUMBLINE_ERR_COMMAND_OUTPUT_TOO_LARGE', `${shown}: output over ${MAX_OUTPUT_BYTES} bytes`));
        }
        if (e.killed) {
          return reject(new CommandError('PLUMBLINE_ERR_COMMAND_TIMEOUT', `${shown} did not finish within ${timeoutMs} ms`));
        }
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        reject(new CommandError('PLUMBLINE_ERR_COMMAND_FAILED', `${shown}: ${e.message}`));
      },
    );
  });
}
