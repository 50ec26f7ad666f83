import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonByReplacer, digestOfDigests, factDigests, factsDigest, setDigest, valueDigest } from './digest';

describe('canonicalJson', () => {
  it('orders keys at every depth but keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
  // Pinned because agents in the field digest with it: a rewrite must keep these quirks.
  it('puts index-like keys first in numeric order and leaves a parsed __proto__ key out', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"10":2,"2":3,"__proto__":4,"01":5}'))).toBe('{"2":3,"10":2,"01":5,"b":1}');
  });
  it('writes exactly what its definition writes, for any value', () => {
    const outcome = (f: (v: unknown) => string, v: unknown) => {
      try {
        return { text: f(v) };
      } catch (err) {
        return { error: (err as Error).constructor.name };
      }
    };
    // Any code point (an astral one sorts by its surrogates, before U+E000-U+FFFF), and objects
    // both below and above the size where the key sort changes method.
    const key = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 3 }),
      fc.constantFrom('10', '2', '01', '__proto__', 'toJSON', '4294967295', 'a', 'B', 'é', '', '\uff00', '😀'),
    );
    const anything = fc.anything({
      key,
      maxDepth: 4,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    const odd = fc.constantFrom<unknown>(undefined, () => 1, Symbol('s'), NaN, -0, Infinity, { toJSON: () => 'x' }, [undefined, () => 1]);
    fc.assert(
      fc.property(
        fc.oneof(
          anything,
          odd,
          fc.dictionary(key, fc.oneof(anything, odd)),
          fc.dictionary(key, fc.integer(), { minKeys: 20, maxKeys: 60 }),
        ),
        (v) => {
          expect(outcome(canonicalJson, v)).toEqual(outcome(canonicalJsonByReplacer, v));
        },
      ),
      { numRuns: 3000 },
    );
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
  const errors = fc.oneof(
    fc.constant({}),
    fc.constant(undefined),
    fc.dictionary(name, fc.record({ code: fc.string(), message: fc.string() }), { maxKeys: 3 }),
  );

  it('gives the set the digest of its version, and each fact the digest of its value', () => {
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(value, fc.constant(undefined)), { maxKeys: 8 }), errors, (facts, errs) => {
        const v1 = factDigests(facts, errs, 1);
        const v2 = factDigests(facts, errs, 2);
        expect(v1.digest).toBe(factsDigest(facts, errs));
        expect(v2.digest).toBe(digestOfDigests(v2.facts, errs));
        expect(setDigest(1, facts, errs)).toBe(v1.digest);
        expect(setDigest(2, facts, errs)).toBe(v2.digest);
        const kept = Object.keys(facts).filter((n) => facts[n] !== undefined);
        for (const got of [v1, v2]) {
          expect([...got.facts.keys()].sort()).toEqual(kept.sort());
          for (const n of kept) expect(got.facts.get(n)).toBe(valueDigest(facts[n]));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([1, 2] as const)('tells one changed fact from the others (version %i)', (version) => {
    const a = factDigests({ sshd_config: { permitrootlogin: 'no' }, sysctl: { 'net.ipv4.ip_forward': '0' } }, {}, version);
    const b = factDigests({ sysctl: { 'net.ipv4.ip_forward': '0' }, sshd_config: { permitrootlogin: 'yes' } }, {}, version);
    expect(b.facts.get('sysctl')).toBe(a.facts.get('sysctl'));
    expect(b.facts.get('sshd_config')).not.toBe(a.facts.get('sshd_config'));
    expect(b.digest).not.toBe(a.digest);
  });
});

describe('the version 2 digest', () => {
  const facts = { sshd_config: { permitrootlogin: 'no', ports: [22] }, host: { hostname: 'web-1' } };
  const errors = { sysctl: { code: 'PLUMBLINE_ERR_READ', message: 'permission denied' } };

  // Pinned because agents in the field send it: any change to its form is a new protocol version.
  // The values below were computed with openssl over the texts in the comments.
  it('is the digest of the canonical JSON of the errors and each fact digest', () => {
    // sha256 of {"hostname":"web-1"} and of {"permitrootlogin":"no","ports":[22]}
    expect(valueDigest(facts.host)).toBe('_EBLoLBrl2CXau0lP8emhoi6ca1GRc9VJuUAPap84ZI');
    expect(valueDigest(facts.sshd_config)).toBe('oozqkiwHP_Kz9eOmp6zUjDNquO_IptIcg2rkjDA5E08');
    // sha256 of {"errors":{"sysctl":{...}},"facts":{"host":"_EBL...","sshd_config":"oozq..."}}
    expect(setDigest(2, facts, errors)).toBe('Cx565Iu9mIbZ56XRUfH-hcuHHEu5EvZcSwc15fRil2k');
  });

  it('differs from the version 1 digest of the same facts, so an agent that changes version sends a snapshot', () => {
    expect(setDigest(2, facts, errors)).not.toBe(setDigest(1, facts, errors));
  });
});
