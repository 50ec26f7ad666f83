import { realpath } from 'node:fs/promises';
import { isSea } from 'node:sea';

/**
 * How the service should start this very agent: the single executable on its own, or the
 * Node runtime with the bundled script when the agent runs from a checkout or a tarball of
 * the bundle.
 */
export async function selfCommand(): Promise<string[]> {
  if (isSea()) return [process.execPath];
  const script = process.argv[1];
  if (!script) return [process.execPath];
  return [process.execPath, await realpath(script).catch(() => script)];
}
