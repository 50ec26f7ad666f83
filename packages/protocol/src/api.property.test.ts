import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as api from './api';
import * as live from './live';

/**
 * Every request and response schema of the HTTP API (and the live events), whatever is
 * exported now and whatever is added later: arbitrary input is refused with issues or
 * parsed into a value the same schema accepts again, and parsing never throws (zod's
 * coercions call Number() and String() on whatever they are given).
 */

const schemas: [string, z.ZodType][] = [];
for (const [name, value] of Object.entries({ ...api, ...live }) as [string, unknown][])
  if (value instanceof z.ZodType) schemas.push([name, value]);

/** Query strings arrive as strings (or string arrays when a key repeats). */
const queryLike = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'limit',
      'offset',
      'q',
      'sort',
      'order',
      'group',
      'tag',
      'os',
      'online',
      'minScore',
      'maxScore',
      'failing',
      'email',
      'password',
    ),
    fc.string(),
  ),
  fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constantFrom('-1', '1e400', 'NaN', 'Infinity', '0x10', ' 5 ', '')),
);

/** Objects whose conversion to a primitive throws or lies: what an attacker controls after JSON parsing cannot do this, but a caller might. */
const hostile = fc.constantFrom<unknown>(
  Object.create(null),
  { toString: 1, valueOf: 2 },
  { toString: () => '5' },
  [1, 2, 3],
  Symbol('s'),
  10n,
  new Date(Number.NaN),
);

describe('API schemas, property-based', () => {
  it('export schemas to test', () => {
    expect(schemas.map(([name]) => name)).toEqual(expect.arrayContaining(['ListQuery', 'HostsQuery', 'Credentials', 'NewPassword']));
  });

  for (const [name, schema] of schemas) {
    it(`${name}: never throws, and what it accepts it accepts again`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), queryLike, hostile, fc.jsonValue()), (input) => {
          const result = schema.safeParse(input);
          if (result.success) expect(schema.safeParse(result.data).success).toBe(true);
          else expect(result.error.issues.length).toBeGreaterThan(0);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('list queries never let a limit or offset out of bounds through', () => {
    fc.assert(
      fc.property(queryLike, (input) => {
        const r = api.HostsQuery.safeParse(input);
        if (!r.success) return;
        expect(Number.isInteger(r.data.limit) && r.data.limit >= 1 && r.data.limit <= 1000).toBe(true);
        expect(Number.isInteger(r.data.offset) && r.data.offset >= 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
