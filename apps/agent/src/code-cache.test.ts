import { describe, expect, it } from 'vitest';
import { compileCommonJs } from './code-cache';

const source = '#!/usr/bin/env node\nmodule.exports.twice = (n) => 2 * n;\n';

describe('compileCommonJs', () => {
  // Each compile under a name of its own: V8 reuses a script it compiled in this process under
  // the same name and source without looking at the cache.
  let n = 0;
  const name = () => `/bundle-${++n}.cjs`;
  const cacheOf = (text: string) => compileCommonJs({ source: text, filename: name() }).script.createCachedData();

  it('says whether V8 took the cache: the build refuses to ship one it would not', () => {
    expect(compileCommonJs({ source, filename: name() }).cache).toBe('none');
    expect(compileCommonJs({ source, filename: name(), cachedData: cacheOf(source) }).cache).toBe('accepted');
    // A cache of another bundle (here of another length) is refused, and the code compiled as usual.
    const other = compileCommonJs({ source, filename: name(), cachedData: cacheOf(`${source}// changed\n`) });
    expect(other.cache).toBe('rejected');
    const mod = { exports: {} as { twice?: (n: number) => number } };
    other.main.call(mod.exports, mod.exports, require, mod, '/bundle.cjs', '/');
    expect(mod.exports.twice?.(21)).toBe(42);
  });
});
