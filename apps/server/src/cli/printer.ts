/** The only place the server's CLI writes to the terminal. */
export const printer = {
  out(line: string): void {
    process.stdout.write(`${line}\n`);
  },
  err(line: string): void {
    process.stderr.write(`${line}\n`);
  },
};

/** Exit codes: 0 ok, 1 the thing checked is wrong (e.g. a tampered report), 2 bad input or config, 3 runtime failure. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, runtime: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
  }
}
