import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCache, writeCache } from './disk-cache';

describe('disk cache', () => {
  let dir: string;
  const before = process.env.PLUMBLINE_CACHE_DIR;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'plb-cache-'));
    process.env.PLUMBLINE_CACHE_DIR = path.join(dir, 'cache');
  });
  afterEach(async () => {
    if (before === undefined) delete process.env.PLUMBLINE_CACHE_DIR;
    else process.env.PLUMBLINE_CACHE_DIR = before;
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back a value only for the stamp it was kept under', async () => {
    await writeCache('dpkg-status', '1/42/100', [{ name: 'openssh-server', version: '1:9.2p1-2' }]);
    expect(await readCache('dpkg-status', '1/42/100')).toEqual([{ name: 'openssh-server', version: '1:9.2p1-2' }]);
    // The state it was worked out from changed: the answer is worked out again.
    expect(await readCache('dpkg-status', '1/42/101')).toBeNull();
    expect(await readCache('dpkg-owners', '1/42/100')).toBeNull();
  });

  it('keeps its files private to the agent', async () => {
    await writeCache('updates', 's', { available: true });
    const file = path.join(dir, 'cache', 'updates.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ stamp: 's', value: { available: true } });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('treats a broken or foreign file as no cache, and an unwritable directory as a cost only', async () => {
    await writeCache('updates', 's', 1);
    const file = path.join(dir, 'cache', 'updates.json');
    for (const text of ['{"stamp":"s","val', 'null', '[]', '{"stamp":"s"}', '{"stamp":1,"value":1}']) {
      await writeFile(file, text);
      expect(await readCache('updates', 's')).toBeNull();
    }
    // A directory that cannot be made: its parent is a file.
    process.env.PLUMBLINE_CACHE_DIR = path.join(file, 'cache');
    await expect(writeCache('updates', 's', 1)).resolves.toBeUndefined();
    expect(await readCache('updates', 's')).toBeNull();
  });
});
