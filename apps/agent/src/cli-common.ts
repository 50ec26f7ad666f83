import path from 'node:path';
import { stat } from 'node:fs/promises';
import { CliError } from './printer';

/** What the agent's commands share without commander or pino (the helper process loads neither). */

/** --root DIR must be a directory; without it the agent reads the live host. */
export async function rootOf(root: string | undefined): Promise<{ root: string; live: boolean }> {
  if (!root) return { root: '/', live: true };
  const abs = path.resolve(root);
  const s = await stat(abs).catch(() => null);
  if (!s?.isDirectory()) throw new CliError(`--root: ${abs} is not a directory`);
  return { root: abs, live: false };
}
