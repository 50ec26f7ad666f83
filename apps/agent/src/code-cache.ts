import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs a CommonJS bundle from a V8 code cache when there is one that fits (same source, same
 * V8 and flags; V8 checks and otherwise compiles as usual). With PLUMBLINE_WRITE_CODE_CACHE=1
 * (the build only) it writes the cache at exit, with every function the run compiled.
 */
export function runCommonJs(file: string): void {
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
