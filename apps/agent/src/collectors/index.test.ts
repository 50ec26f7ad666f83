import { FACT_NAMES, FactSet } from '@plumbline/protocol/facts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { collectFacts } from './index';
import { readHostDirectly } from './lib/root-fs';
import { captureLog, fixtureRoot, withTree, rootContext, SCENARIOS } from '../../test/support/host-trees';

describe('collectFacts on every fixture tree', () => {
  it('knows at least the six host scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(6);
  });

  it.each(SCENARIOS)('%s: every fact validates, none fails, and output is deterministic', async (scenario) => {
    const ctx = rootContext(fixtureRoot(scenario));
    const first = await collectFacts(ctx);
    expect(first.errors).toEqual({});
    expect(Object.keys(first.facts)).toEqual(FACT_NAMES);
    expect(FactSet.parse(first)).toEqual(first);
    expect(JSON.stringify(await collectFacts(ctx))).toBe(JSON.stringify(first));
  });

  it('never lets a password hash or a private key through', async () => {
    for (const scenario of SCENARIOS) {
      const json = JSON.stringify(await collectFacts(rootContext(fixtureRoot(scenario))));
      expect(json).not.toMatch(/\$(y|6|5|1|2[aby]?)\$|FIXTURE(HASH|SALT|LOCKED)|placeholder: fixture trees carry no private keys/);
    }
  });
});

describe('reading the host directly (scan, facts) or through the thread pool (run)', () => {
  const bothWays = async (root: string) => {
    const pooled = await collectFacts(rootContext(root));
    readHostDirectly();
    try {
      return { pooled, direct: await collectFacts(rootContext(root)) };
    } finally {
      readHostDirectly(false);
    }
  };

  it.each(SCENARIOS)('%s: the same facts either way', async (scenario) => {
    const { pooled, direct } = await bothWays(fixtureRoot(scenario));
    expect(JSON.stringify(direct)).toBe(JSON.stringify(pooled));
  });

  it('the same errors either way: a symlink loop, a directory where a file belongs, a link out of the tree', async () => {
    await withTree(
      {
        'etc/ssh/sshd_config': { link: '/etc/ssh/loop' },
        'etc/ssh/loop': { link: '/etc/ssh/sshd_config' },
        'etc/login.defs/x': 'PASS_MAX_DAYS 90\n',
        'etc/passwd': { link: '../../../../../../etc/passwd' },
        'etc/os-release': 'ID=debian\n',
      },
      async (root) => {
        const { pooled, direct } = await bothWays(root);
        expect(pooled.errors.sshd_config?.code).toBe('PLUMBLINE_ERR_SYMLINK_LOOP');
        expect(direct.errors).toEqual(pooled.errors);
        expect(JSON.stringify(direct.facts)).toBe(JSON.stringify(pooled.facts));
      },
    );
  });
});

describe('collectFacts failure isolation', () => {
  it('turns a failing collector into a typed error, logs it, and keeps the others', async () => {
    const { log, lines } = captureLog();
    await withTree({ 'etc/hostname': 'only-a-hostname\n' }, async (root) => {
      const set = await collectFacts(rootContext(root, log));
      expect(FactSet.parse(set)).toEqual(set);
      expect(set.facts.host?.hostname).toBe('only-a-hostname');
      expect(set.errors.sshd_config).toEqual({
        code: 'PLUMBLINE_ERR_SOURCE_MISSING',
        message: '/etc/ssh/sshd_config does not exist',
        path: '/etc/ssh/sshd_config',
      });
      expect(set.facts.sshd_config).toBeUndefined();
      for (const name of FACT_NAMES) expect(name in set.facts !== name in set.errors, name).toBe(true);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 40, msg: 'collector failed', fact: 'sshd_config', code: 'PLUMBLINE_ERR_SOURCE_MISSING' }),
      );
    });
  });

  it('runs only the facts asked for', async () => {
    const set = await collectFacts(rootContext(fixtureRoot('debian12-default')), ['host']);
    expect(Object.keys(set.facts)).toEqual(['host']);
    expect(set.errors).toEqual({});
  });
});

describe('collectFacts on this machine', () => {
  it('produces a valid fact set; facts it cannot read are errors, not crashes', async () => {
    const set = await collectFacts({ root: '/', live: true, log: pino({ level: 'silent' }) });
    expect(FactSet.parse(set)).toEqual(set);
    expect(set.facts.host).toBeDefined();
    expect(set.facts.listening_sockets).toBeDefined();
  });
});
