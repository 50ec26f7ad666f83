import fc from 'fast-check';

/**
 * Adversarial inputs shared by the fuzzing tests: the values that break servers in practice
 * (wrong types, NUL bytes, lone surrogates, prototype keys, huge and deep values), plus
 * "nearly valid" objects built from a route's own JSON schema, so that a refusal cannot
 * come from the first missing field alone and the handler and the database get exercised.
 */

/** fast-check runs are seeded so a failure replays; PLUMBLINE_FUZZ_SEED picks another sequence. */
export const FUZZ_SEED = Number(process.env.PLUMBLINE_FUZZ_SEED ?? 20_261_201);

export const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\u202e',
    '🦀',
    '../../etc/passwd',
    '%00',
    "'; drop table hosts; --",
    '<script>',
    '__proto__',
    'constructor',
    'null',
    '1e999',
    '-1',
  ),
  fc.constantFrom(1_000, 100_000).map((n) => 'x'.repeat(n)),
);

export const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 0.5),
);

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(nastyString, { maxLength: 5 }),
);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** A value shaped like `schema` at the top but with adversarial leaves, sometimes wrong-typed. */
export function nearlyValid(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return nastyValue;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((s) => nearlyValid(s, depth + 1)));
  if (schema.enum?.length) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, nastyValue);
  if (schema.const !== undefined) return fc.oneof({ weight: 4, arbitrary: fc.constant(schema.const) }, nastyValue);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const shaped = fc.record(Object.fromEntries(props.map(([k, s]) => [k, nearlyValid(s, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((k) => schema.properties?.[k]),
      });
      return fc.oneof({ weight: 4, arbitrary: shaped }, nastyValue);
    }
    case 'array':
      return fc.oneof({ weight: 3, arbitrary: fc.array(nearlyValid(schema.items, depth + 1), { maxLength: 4 }) }, nastyValue);
    case 'string':
      return fc.oneof({ weight: 3, arbitrary: nastyString }, nastyValue);
    case 'integer':
    case 'number':
      return fc.oneof({ weight: 3, arbitrary: nastyNumber }, nastyValue);
    case 'boolean':
      return fc.oneof({ weight: 3, arbitrary: fc.boolean() }, nastyValue);
    default:
      return nastyValue;
  }
}

/** Percent-encodes every byte of the UTF-8 form, so even lone surrogates make a sendable URL. */
export const percentEncode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Raw request bodies: JSON text that is malformed, poisoned, deep or huge, sent as application/json. */
export const rawJsonBody = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":1,}',
    'nul',
    '[1,2',
    '{"__proto__":{"role":"admin"}}',
    '{"constructor":{"prototype":{"role":"admin"}}}',
    '{"a":"\\ud800"}',
    '"\\u0000"',
    deep(5_000),
    `[${'['.repeat(20_000)}${']'.repeat(20_000)}]`,
    `"${'x'.repeat(1024 * 1024 + 10)}"`,
  ),
  fc.jsonValue().map((v) => (JSON.stringify(v) ?? 'null').slice(0, -1)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Query string values and whole raw query strings. */
export const rawQuery = fc.oneof(
  fc.constantFrom(
    '%',
    '%zz',
    '&&&',
    '==',
    'a[b]=1&a[c]=2',
    '__proto__[x]=1',
    'constructor[prototype][x]=1',
    'limit=1&limit=2',
    'limit=%00',
    `q=${'x'.repeat(10_000)}`,
  ),
  fc.string({ unit: 'binary', maxLength: 60 }).map(percentEncode),
);

/** Path segments for `{id}`-like parameters: none of them names a stored row. */
export const nastyPathParam = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    'not-a-uuid',
    '0',
    '-1',
    '%00',
    'a%00b',
    '%2e%2e%2f',
    '..',
    '%C0%AE',
    '%ud800',
    '%F0%9F%A6%80',
    'x'.repeat(100),
    'x'.repeat(5_000),
    '__proto__',
    'constructor',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map(percentEncode),
);
