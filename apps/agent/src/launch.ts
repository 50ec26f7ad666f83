#!/usr/bin/env node
// The built agent's entry (dist/cli.js). `scan` and `facts` run once and exit, so starting up
// is much of their time: they run the single-file bundle (dist/agent.cjs) with the V8 code
// cache the build wrote for it (dist/agent.cjs.cache), which spares parsing and compiling the
// code a scan runs. The long-running `run` loads a bundle of its own (dist/daemon.js), every
// other command the split build (dist/main.js), whose chunks are loaded only by the commands
// that use them: a code cache is deserialized whole, which would put every cached function
// into `run`'s memory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommonJs } from './code-cache';

const ONE_SHOT = new Set(['scan', 'facts']);
/** The helper process of `run`, started for every collection: a bundle of its own (see src/collection/helper-main.ts). */
const HELPER = new Set(['collect', 'check-spool']);

const dist = path.dirname(fileURLToPath(import.meta.url));
const command = process.argv[2] ?? '';
if (ONE_SHOT.has(command)) runCommonJs(path.join(dist, 'agent.cjs'));
else if (HELPER.has(command)) runCommonJs(path.join(dist, 'helper.cjs'));
// dist/daemon.js, built from src/daemon.ts (the import stays external to this file).
else if (command === 'run') await import('./daemon.js');
// @ts-expect-error -- the split build sits next to this file in dist/, not in src/
else await import('./main.js');
