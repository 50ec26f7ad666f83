import { describe, expect, it } from 'vitest';
import { canonicalJson, factsDigest } from './digest';

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
