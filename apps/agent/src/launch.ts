#!/usr/bin/env node
// The built agent's entry (dist/cli.js). `scan` and `facts` run once and exit, so starting up
// is much of their time: they run the single-file bundle (dist/agent.cjs) with the V8 code
// cache the build wrote for it (dist/agent.cjs.cache), which spares parsing and compiling the
// code a scan runs. Every other command, above all the long-running `run`, loads the split
// build (dist/main.js), whose chunks are loaded only by the commands that use them: a code
// cache is deserialized whole, which would put every cached function into `run`'s memory.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const ONE_SHOT = new Set(['scan', 'facts']);

/**
 * Runs a CommonJS bundle from a V8 code cache when there is one that fits (same source, same
 * V8 and flags; V8 checks and otherwise compiles as usual). With PLUMBLINE_WRITE_CODE_CACHE=1
 * (the build only) it writes the cache at exit, with every function the run compiled.
 */
function runCommonJs(file: string): void {
  const cacheFile = `${file}.cache`;
  const write = process.env.PLUMBLINE_WRITE_CODE_CACHE === '1';
  let cachedData: Buffer | undefined;
  if (!write) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // No cache: compiled as usual.
    }
  }
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const main = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} };
  main.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  if (write) {
    process.once('exit', () => {
      // Whole or not at all: another process may be starting from it.
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    });
  }
}

const dist = path.dirname(fileURLToPath(import.meta.url));
if (ONE_SHOT.has(process.argv[2] ?? '')) runCommonJs(path.join(dist, 'agent.cjs'));
// @ts-expect-error -- the split build sits next to this file in dist/, not in src/
else await import('./main.js');
