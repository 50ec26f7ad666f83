import type { SshdConfigFact, SshdSetting } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { runCommand } from '../lib/exec';
import { globUnderRoot, statUnderRoot, tryReadText } from '../lib/root-fs';
import { canonicalKeyword, isSshdKeyword, parseSshdConfig, type ParsedSshdConfig } from './parse';
import { sortRecord } from '../lib/order';

const MAIN_FILE = '/etc/ssh/sshd_config';
const SSHD = '/usr/sbin/sshd';

/**
 * `sshd -T` output: one `keyword value...` per line, lower-case keywords; keywords that
 * take several lines (port, listenaddress, hostkey...) repeat.
 */
export function parseSshdTestOutput(text: string): Record<string, { value: string; values: string[] }> {
  const out: Record<string, { value: string; values: string[] }> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const sp = line.search(/\s/);
    const key = canonicalKeyword(sp === -1 ? line : line.slice(0, sp));
    if (!isSshdKeyword(key)) continue; // not sshd -T output; `__proto__` would reach Object's prototype
    const value = sp === -1 ? '' : line.slice(sp + 1).trim();
    const entry = Object.hasOwn(out, key) ? out[key] : undefined;
    if (entry) entry.values.push(value);
    else out[key] = { value, values: [value] };
  }
  return out;
}

/**
 * Keeps what sshd -T says (it knows defaults and version-specific canonical values) and
 * where the file set it, so evidence can still point at a file and line.
 */
export function mergeSshdTest(parsed: ParsedSshdConfig, test: ReturnType<typeof parseSshdTestOutput>): SshdConfigFact['settings'] {
  const settings: Record<string, SshdSetting> = {};
  for (const [key, { value, values }] of Object.entries(test)) {
    const fromFile = Object.hasOwn(parsed.settings, key) ? parsed.settings[key] : undefined;
    settings[key] = {
      keyword: fromFile?.keyword ?? key,
      value,
      args: value === '' ? [] : value.split(' '),
      ...(values.length > 1 || fromFile?.values ? { values } : {}),
      ...(fromFile?.file ? { file: fromFile.file, line: fromFile.line } : {}),
    };
  }
  return sortRecord(settings);
}

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
