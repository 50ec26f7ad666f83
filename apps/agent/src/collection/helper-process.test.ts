import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../../test/support/host-trees';
import { checkSpoolDir } from '../spool/check';
import { Spool } from '../spool/spool';
import { HELPER_NODE_FLAGS, helperProcessWork, quietJitless } from './helper-process';
import { RUNTIME_ENV } from '../install/unit';
import { inProcessWork } from './in-process';

// The helper as `plumbline-agent run` starts it from the built bundle (pnpm build first).
const ENTRY = fileURLToPath(new URL('../../dist/helper-entry.cjs', import.meta.url));
const silent = pino({ level: 'silent' });
const work = await mkdtemp(path.join(tmpdir(), 'plumbline-helper-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the helper process', () => {
  const helper = helperProcessWork([process.execPath, ENTRY], silent);
  const where = { root: fixtureRoot('debian12-hardened'), live: false };

  it('collects what the agent itself would, digests and values', async () => {
    expect(existsSync(ENTRY), `${ENTRY} is missing: run pnpm build first`).toBe(true);
    const [there, here] = await Promise.all([helper.collect(where, null), inProcessWork(silent).collect(where, null)]);
    expect(there.digest).toBe(here.digest);
    expect(there.factDigests).toEqual(here.factDigests);
    expect(there.errors).toEqual(here.errors);
    for (const name of here.factDigests.keys()) expect(there.fact(name)).toEqual(here.fact(name));
  });

  it('hands over only the changed values when told what the agent holds', async () => {
    const all = await helper.collect(where, null);
    const known = new Map(all.factDigests);
    known.set('sudo', 'not this one');
    const changed = await helper.collect(where, known);
    expect(changed.digest).toBe(all.digest);
    expect(changed.fact('sudo')).toEqual(all.fact('sudo'));
    expect(changed.fact('users')).toBeUndefined();
  });

  it('checks a spool as the agent does: good entries by their text, bad ones with the reason', async () => {
    const dir = path.join(work, 'spool');
    const spool = await Spool.open(dir, { check: checkSpoolDir });
    const now = new Date().toISOString();
    await spool.put({ version: 2, type: 'digest', seq: 1, payload: { observedAt: now, digest: 'd'.repeat(43) } });
    await writeFile(path.join(dir, '0000000000000002.json'), '{"version":2,"type":"snapsh');
    await writeFile(
      path.join(dir, '0000000000000003.json'),
      JSON.stringify({ version: 2, type: 'digest', seq: 4, payload: { observedAt: now, digest: 'd'.repeat(43) } }),
    );
    const verdicts = await helper.checkSpool(dir);
    expect(verdicts).toEqual(await checkSpoolDir(dir));
    expect([...verdicts.keys()].sort()).toEqual(['0000000000000001.json', '0000000000000002.json', '0000000000000003.json']);
    expect(verdicts.get('0000000000000001.json')).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(verdicts.get('0000000000000003.json')).toEqual({ why: 'not a message with this sequence number' });
  });

  it('fails with the reason when the helper cannot do the work', async () => {
    await expect(helper.collect({ root: path.join(work, 'no-such-tree'), live: false }, null)).rejects.toThrow(/collect exited with 1/);
  });

  it("writes nothing but log records to the journal under the service's flags", () => {
    // Node 20's V8 warned at every start under --jitless, a line each cycle in the journal.
    const res = spawnSync(
      process.execPath,
      [...HELPER_NODE_FLAGS, ...quietJitless([], RUNTIME_ENV.NODE_OPTIONS ?? ''), ENTRY, 'collect', '--root', where.root],
      {
        env: { ...process.env, ...RUNTIME_ENV, PLUMBLINE_LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );
    expect(res.status).toBe(0);
    for (const line of res.stderr.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('quiets the warning only where V8 prints it, and only under --jitless', () => {
    expect(quietJitless([], '--max-semi-space-size=1 --jitless', '11.3.244.8-node.33')).toEqual(['--no-expose-wasm']);
    expect(quietJitless(['--jitless'], '', '11.3.244.8-node.33')).toEqual(['--no-expose-wasm']);
    expect(quietJitless([], '--jitless', '13.6.233.17-node.44')).toEqual([]);
    expect(quietJitless([], '--max-semi-space-size=1', '11.3.244.8-node.33')).toEqual([]);
  });

  it('starts from the code cache the build wrote, under the flags the service starts it with', () => {
    // V8 compiles everything again, silently, from a cache made under other flags.
    const bundle = fileURLToPath(new URL('../../dist/helper.cjs', import.meta.url));
    const probe = `
      const { readFileSync } = require('node:fs');
      const { Script } = require('node:vm');
      const Module = require('node:module');
      const source = readFileSync(process.argv[1], 'utf8').replace(/^#!.*/, '');
      const script = new Script(Module.wrap(source), { filename: process.argv[1], cachedData: readFileSync(process.argv[1] + '.cache') });
      process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');`;
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, [...HELPER_NODE_FLAGS, ...quietJitless([], env.NODE_OPTIONS ?? ''), '-e', probe, bundle], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    expect(run({ ...RUNTIME_ENV })).toBe('accepted');
    // The probe tells: without the service's flags (--jitless and the rest) the same cache does not fit.
    expect(run({ NODE_OPTIONS: '' })).toBe('rejected');
  });
});
