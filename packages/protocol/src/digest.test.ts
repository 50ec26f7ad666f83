import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, factDigests, factsDigest, valueDigest } from './digest';

describe('canonicalJson', () => {
  it('orders keys at every depth but keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
  // Pinned because agents in the field digest with it: a rewrite must keep these quirks.
  it('puts index-like keys first in numeric order and leaves a parsed __proto__ key out', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"10":2,"2":3,"__proto__":4,"01":5}'))).toBe('{"2":3,"10":2,"01":5,"b":1}');
  });
});

describe('factsDigest', () => {
  it('is equal for equal facts written in another key order', () => {
    expect(factsDigest({ host: { a: 1, b: 2 } }, {})).toBe(factsDigest({ host: { b: 2, a: 1 } }, {}));
  });
  it('changes when one value changes, or when an error appears', () => {
    const base = factsDigest({ sshd_config: { permitrootlogin: 'no' } }, {});
    expect(factsDigest({ sshd_config: { permitrootlogin: 'yes' } }, {})).not.toBe(base);
    expect(factsDigest({ sshd_config: { permitrootlogin: 'no' } }, { sysctl: { code: 'X' } })).not.toBe(base);
  });
});

describe('factDigests', () => {
  const name = fc.oneof(fc.constantFrom('host', 'sshd_config', 'packages', 'sysctl', '10', '2', '__proto__', 'a b', 'é'), fc.string());
  const value = fc.jsonValue({ maxDepth: 3 });
  const errors = fc.oneof(fc.constant({}), fc.constant(undefined), fc.dictionary(name, fc.record({ code: fc.string(), message: fc.string() }), { maxKeys: 3 }));

  it('gives the set the digest factsDigest gives it, and each fact the digest of its value', () => {
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(value, fc.constant(undefined)), { maxKeys: 8 }), errors, (facts, errs) => {
        const got = factDigests(facts, errs);
        expect(got.digest).toBe(factsDigest(facts, errs));
        const kept = Object.keys(facts).filter((n) => facts[n] !== undefined);
        expect([...got.facts.keys()].sort()).toEqual(kept.sort());
        for (const n of kept) expect(got.facts.get(n)).toBe(valueDigest(facts[n]));
      }),
      { numRuns: 1000 },
    );
  });

  it('tells one changed fact from the others', () => {
    const a = factDigests({ sshd_config: { permitrootlogin: 'no' }, sysctl: { 'net.ipv4.ip_forward': '0' } }, {});
    const b = factDigests({ sysctl: { 'net.ipv4.ip_forward': '0' }, sshd_config: { permitrootlogin: 'yes' } }, {});
    expect(b.facts.get('sysctl')).toBe(a.facts.get('sysctl'));
    expect(b.facts.get('sshd_config')).not.toBe(a.facts.get('sshd_config'));
    expect(b.digest).not.toBe(a.digest);
  });
});
