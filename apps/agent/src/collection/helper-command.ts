import { parseArgs } from 'node:util';
import { rootOf } from '../cli-common';
import { helperCheckSpool, helperCollect, readKnownDigests } from './helper';
import { helperLog } from './helper-log';

/**
 * The helper's command line, `collect [--root DIR] [--pooled-reads] [--known-digests-on-stdin]`
 * or `check-spool DIR`, one parser for each way the helper starts: its own bundle
 * (helper-main.ts, dist/helper.cjs) and, from source, the full CLI (cli.ts). Hidden commands,
 * not for people: the answer goes to stdout, a failure is one line on stderr and exit 1.
 */
export async function runHelperCommand(argv: string[]): Promise<void> {
  try {
    const [command, ...rest] = argv;
    if (command === 'collect') {
      const { values } = parseArgs({
        args: rest,
        options: { root: { type: 'string' }, 'pooled-reads': { type: 'boolean' }, 'known-digests-on-stdin': { type: 'boolean' } },
      });
      const known = values['known-digests-on-stdin'] ? await readKnownDigests(process.stdin) : null;
      const where = await rootOf(values.root);
      process.stdout.write(await helperCollect(where, helperLog(), { pooledReads: values['pooled-reads'] === true, known }));
    } else if (command === 'check-spool' && rest.length === 1) {
      process.stdout.write(await helperCheckSpool(rest[0]!));
    } else {
      throw new Error(`usage: collect [--root DIR] [--pooled-reads] [--known-digests-on-stdin] | check-spool DIR`);
    }
  } catch (err) {
    process.stderr.write(`plumbline-agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
