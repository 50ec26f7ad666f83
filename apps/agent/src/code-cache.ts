import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** The build sets this (to 1) to have a run write the code cache of the bundle it ran, at exit. */
const WRITE_ENV = 'PLUMBLINE_WRITE_CODE_CACHE';

/** What became of the code cache a bundle was compiled with. */
export type CodeCacheUse = 'accepted' | 'rejected' | 'none';

interface Bundle {
  /** The bundle's text (a leading #! line is dropped). */
  source: string;
  /** Its path: stack traces name it, and a cache the build asks for is written at `${filename}.cache`. */
  filename: string;
  /** A V8 code cache for exactly this source, V8 version and flags (else V8 compiles as usual). */
  cachedData?: Buffer | undefined;
}

/**
 * Compiles a CommonJS bundle, from its code cache when that fits (V8 checks the source, its
 * own version and its flags, and otherwise compiles as usual). Returns the module function
 * and what became of the cache.
 */
export function compileCommonJs({ source, filename, cachedData }: Bundle) {
  const script = new Script(Module.wrap(source.replace(/^#!.*/, '')), { filename, cachedData });
  const cache: CodeCacheUse = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { script, cache, main: script.runInThisContext() as (...args: unknown[]) => void };
}

/** How a bundle runs: the require it gets, its module object, and its __filename if not its own. */
interface RunAs {
  require: NodeJS.Require;
  module?: { exports: unknown };
  filename?: string;
}

/**
 * Runs a CommonJS bundle as a module. With PLUMBLINE_WRITE_CODE_CACHE=1 (the build only) it
 * compiles without a cache and writes one at exit, beside `bundle.filename`, with every function
 * the run compiled.
 */
export function runBundle(bundle: Bundle, { require: req, module: mod = { exports: {} }, filename = bundle.filename }: RunAs): void {
  const write = process.env[WRITE_ENV] === '1';
  const { script, main } = compileCommonJs(write ? { ...bundle, cachedData: undefined } : bundle);
  main.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  if (write) {
    const cacheFile = `${bundle.filename}.cache`;
    process.once('exit', () => {
      // Whole or not at all: another process may be starting from it.
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    });
  }
}

/** Runs a CommonJS bundle file with its code cache (`${file}.cache`) when there is one that fits. */
export function runCommonJs(file: string): void {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache: compiled as usual.
  }
  runBundle({ source: readFileSync(file, 'utf8'), filename: file, cachedData }, { require: createRequire(file) });
}
