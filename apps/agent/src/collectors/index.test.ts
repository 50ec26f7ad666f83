import { FACT_NAMES, FactSet } from '@plumbline/protocol/facts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { collectFacts } from './index';
import { captureLog, fixtureRoot, makeTree, rootContext, SCENARIOS } from './testing';

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

describe('collectFacts failure isolation', () => {
  it('turns a failing collector into a typed error, logs it, and keeps the others', async () => {
    const { root, cleanup } = await makeTree({ 'etc/hostname': 'only-a-hostname\n' });
    const { log, lines } = captureLog();
    try {
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
    } finally {
      await cleanup();
    }
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
