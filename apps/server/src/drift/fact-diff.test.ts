import { describe, expect, it } from 'vitest';
import { factDigests } from '@plumbline/protocol/digest';
import { changedFacts, diffFacts, sameJson } from './fact-diff';

describe('diffFacts', () => {
  it('reports a changed sshd value at its leaf path, from what to what', () => {
    const before = { sshd_config: { settings: { permitrootlogin: { value: 'no', file: '/etc/ssh/sshd_config', line: 3 } } } };
    const after = { sshd_config: { settings: { permitrootlogin: { value: 'yes', file: '/etc/ssh/sshd_config', line: 3 } } } };
    expect(diffFacts(before, after)).toEqual([
      { fact: 'sshd_config', path: 'sshd_config.settings.permitrootlogin.value', op: 'replace', before: 'no', after: 'yes' },
    ]);
  });

  it('reports a new listening socket as one added element, whatever the order', () => {
    const s22 = { protocol: 'tcp', address: '0.0.0.0', port: 22 };
    const s80 = { protocol: 'tcp', address: '0.0.0.0', port: 80 };
    const diffs = diffFacts({ listening_sockets: [s22] }, { listening_sockets: [s80, s22] });
    expect(diffs).toEqual([{ fact: 'listening_sockets', path: 'listening_sockets', op: 'add', before: null, after: s80 }]);
  });

  it('reports a whole fact appearing or vanishing', () => {
    expect(diffFacts({}, { host: { hostname: 'a' } })).toEqual([
      { fact: 'host', path: 'host', op: 'add', before: null, after: { hostname: 'a' } },
    ]);
    expect(diffFacts({ host: { hostname: 'a' } }, {})[0]?.op).toBe('remove');
  });

  it('finds nothing between equal facts', () => {
    const f = { host: { hostname: 'a', os: { id: 'debian' } }, listening_sockets: [{ port: 22 }] };
    expect(diffFacts(f, structuredClone(f))).toEqual([]);
  });
});

describe('diffFacts given the changed facts', () => {
  it('finds the same differences as walking every fact, and names facts whose error alone changed', () => {
    const s22 = { protocol: 'tcp', address: '0.0.0.0', port: 22 };
    const s80 = { protocol: 'tcp', address: '0.0.0.0', port: 80 };
    const before = { facts: { host: { hostname: 'a' }, listening_sockets: [s22, s80], sysctl: { x: 1 }, mounts: [] }, errors: {} };
    const after = {
      facts: { host: { hostname: 'b' }, listening_sockets: [s80, s22], sysctl: { x: 1 }, kernel_config: null },
      errors: { sysctl: { code: 'PLUMBLINE_ERR_READ', message: 'x' } },
    };
    const stored = { digests: factDigests(before.facts, before.errors, 2).facts, values: before.facts, errors: before.errors };
    const changed = changedFacts(stored, { ...after, digests: factDigests(after.facts, after.errors, 2).facts });
    expect([...changed].sort()).toEqual(['host', 'kernel_config', 'listening_sockets', 'mounts', 'sysctl']);
    // Facts stored before digests were kept are compared by value.
    const undigested = { ...stored, digests: new Map([...stored.digests.keys()].map((k) => [k, null])) };
    expect(changedFacts(undigested, { ...after, digests: factDigests(after.facts, after.errors, 2).facts })).toEqual(changed);
    expect(diffFacts(before.facts, after.facts, changed)).toEqual(diffFacts(before.facts, after.facts));
    expect(diffFacts(before.facts, after.facts, changed)).toEqual([
      { fact: 'host', path: 'host.hostname', op: 'replace', before: 'a', after: 'b' },
      { fact: 'kernel_config', path: 'kernel_config', op: 'add', before: null, after: null },
      { fact: 'mounts', path: 'mounts', op: 'remove', before: [], after: null },
    ]);
  });
});

describe('diffFacts on lists of plain values', () => {
  it('reports changed arguments as one replacement', () => {
    expect(diffFacts({ s: { args: ['a', 'b'] } }, { s: { args: ['a', 'c'] } })).toEqual([
      { fact: 's', path: 's.args', op: 'replace', before: ['a', 'b'], after: ['a', 'c'] },
    ]);
  });
});

describe('sameJson', () => {
  it.each([
    ['key order', { a: 1, b: [1, { c: 'x', d: null }] }, { b: [1, { d: null, c: 'x' }], a: 1 }, true],
    ['a key holding undefined is no key', { a: 1, b: undefined }, { a: 1 }, true],
    ['a changed leaf', { a: { b: 'no' } }, { a: { b: 'yes' } }, false],
    ['an extra key', { a: 1 }, { a: 1, b: 2 }, false],
    ['array order matters', [1, 2], [2, 1], false],
    ['array and object differ', [], {}, false],
    ['null and a value differ', { a: null }, { a: 0 }, false],
    ['string and number differ', { a: '1' }, { a: 1 }, false],
  ])('%s', (_name, a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(sameJson(b, a)).toBe(same);
  });
});
