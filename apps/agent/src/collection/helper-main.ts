#!/usr/bin/env node
import { runHelperCommand } from './helper-command';

/**
 * The helper process of `run` as its own small bundle (dist/helper.cjs, with a V8 code cache
 * like agent.cjs): what `plumbline-agent collect` and `check-spool` do, without the rest of
 * the command line. It starts for every collection, so its start-up is CPU of every cycle.
 */
void runHelperCommand(process.argv.slice(2));
