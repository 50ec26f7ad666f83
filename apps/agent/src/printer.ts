/** The only place the agent's CLI writes to the terminal (logs go through pino to stderr). */
export const printer = {
  out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err(line: string): void {
    process.stderr.write(`${line}\n`);
  },
};

/** 0 ok; 1 refused by the server or a failing check; 2 bad input; 3 below --fail-under. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, belowThreshold: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
  }
}
