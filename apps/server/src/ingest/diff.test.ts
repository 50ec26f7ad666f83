import { describe, expect, it } from 'vitest';
import { diffFacts, sameJson } from './diff';

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
