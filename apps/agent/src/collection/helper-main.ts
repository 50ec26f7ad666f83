#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { rootOf } from '../cli-common';
import { helperCheckSpool, helperCollect, readKnownDigests } from './helper';
import { helperLog } from './helper-log';

/**
 * The helper process of `run` as its own small bundle (dist/helper.cjs, with a V8 code cache
 * like agent.cjs): what `plumbline-agent collect` and `check-spool` do, without the rest of
 * the command line. It starts for every collection, so its start-up is CPU of every cycle.
 */
async function main(argv: string[]): Promise<void> {
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
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`plumbline-agent: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
