import type { SshdConfigFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { runCommand } from '../lib/exec';
import { globUnderRoot, statUnderRoot, tryReadText } from '../lib/root-fs';
import { parseSshdConfig, parseSshdTestOutput, mergeSshdTest } from './parse';

const MAIN_FILE = '/etc/ssh/sshd_config';
const SSHD = '/usr/sbin/sshd';

export async function collect(ctx: CollectContext): Promise<SshdConfigFact> {
  const parsed = await parseSshdConfig({
    // An unreadable main file is the fact's error; an unreadable include is only a warning.
    read: async (file) => (file === MAIN_FILE ? tryReadText(ctx.root, file) : tryReadText(ctx.root, file).catch(() => null)),
    glob: (pattern) => globUnderRoot(ctx.root, pattern),
  });
  if (!parsed) {
    throw new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', `${MAIN_FILE} does not exist`, MAIN_FILE);
  }
  const fact: SshdConfigFact = { source: 'files', main_file: MAIN_FILE, ...parsed };
  if (!ctx.live || (await statUnderRoot(ctx.root, SSHD)) === null) return fact;
  try {
    const res = await runCommand(SSHD, ['-T'], { timeoutMs: 5000 });
    if (res.code !== 0) {
      const why = res.stderr.trim().split('\n')[0] ?? '';
      fact.warnings.push(`sshd -T exited ${res.code} (${why}); values are from the files`);
      return fact;
    }
    return { ...fact, source: 'sshd -T', settings: mergeSshdTest(parsed, parseSshdTestOutput(res.stdout)) };
  } catch (err) {
    ctx.log.debug({ err }, 'sshd -T failed');
    fact.warnings.push(`sshd -T could not run (${(err as Error).message}); values are from the files`);
    return fact;
  }
}
