import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixtureRoot } from '../../test/support/host-trees';
import { collectFacts } from '../collectors/index';
import { collectionOf, readCollection, writeCollection } from './collection';
import { helperCollect } from './helper';

const set = await collectFacts({ root: fixtureRoot('debian12-default'), live: false, log: pino({ level: 'silent' }) });
const whole = collectionOf(set);
const names = [...whole.factDigests.keys()];

describe('a collection handed over by the helper process', () => {
  it('arrives with the digests and the values of the collection itself', () => {
    const got = readCollection(Buffer.from(writeCollection(set)), null);
    expect(got.digest).toBe(whole.digest);
    expect(got.factDigests).toEqual(whole.factDigests);
    expect(got.errors).toEqual(set.errors);
    for (const name of names) expect(got.fact(name)).toEqual(whole.fact(name));
  });

  it('carries only the values whose digest the agent does not hold yet', () => {
    const known = new Map(whole.factDigests);
    known.set('users', 'an older digest');
    known.delete('packages');
    const text = writeCollection(set, known);
    const got = readCollection(Buffer.from(text), known);
    expect(got.digest).toBe(whole.digest);
    expect(got.fact('users')).toEqual(whole.fact('users'));
    expect(got.fact('packages')).toEqual(whole.fact('packages'));
    expect(got.fact('sysctl')).toBeUndefined();
    // Two values, not twenty: an unchanged host hands over its digests and little else.
    expect(text.length).toBeLessThan(writeCollection(set).length / 2);
  });

  it('is refused when cut short or missing a value the agent needs', () => {
    const text = writeCollection(set);
    expect(() => readCollection(Buffer.from(text.slice(0, -10)), null)).toThrow(/cut short/);
    const withoutUsers = text
      .split('\n')
      .filter((l) => !l.startsWith('users\t'))
      .join('\n');
    expect(() => readCollection(Buffer.from(withoutUsers), null)).toThrow(/lacks the fact users/);
    expect(() => readCollection(Buffer.from('\n'), null)).toThrow();
  });

  it('is the same text when the values the agent holds skip their schema check', async () => {
    const known = new Map(whole.factDigests);
    known.set('users', 'an older digest');
    known.delete('packages');
    const where = { root: fixtureRoot('debian12-default'), live: false };
    const text = await helperCollect(where, pino({ level: 'silent' }), { pooledReads: true, known });
    expect(text).toBe(writeCollection(set, known));
  });
});
