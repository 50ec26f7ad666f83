import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Systemctl {
  /** systemd is the running init (the check sd_booted() makes). */
  running(): boolean;
  /** The major version from `systemctl --version`, or null when it cannot be run. */
  version(): Promise<number | null>;
  /** Runs `systemctl ARGS`; resolves with the exit code and output, never rejects. */
  run(args: string[]): Promise<{ code: number; out: string }>;
}

export const hostSystemctl: Systemctl = {
  running: () => existsSync('/run/systemd/system'),
  async version() {
    const { code, out } = await this.run(['--version']);
    const m = /^systemd (\d+)/.exec(out);
    return code === 0 && m ? Number(m[1]) : null;
  },
  run: (args) =>
    new Promise((resolve) => {
      execFile('systemctl', args, { timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
        resolve({ code, out: `${stdout}${stderr}`.trim() });
      });
    }),
};
