import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsDigest } from './digest';
import { MAX_FRAME_BYTES, PROTOCOL_VERSIONS } from './limits';
import { AgentMessage, parseAgentMessage, parseServerMessage, ServerMessage, type ParseResult } from './messages';

/**
 * Whatever arrives on a socket, parsing yields a one-line reason or a message that is valid
 * by its own schema: never a throw (that would close the connection with 1011 or, outside
 * a handler, crash the process), never a half-checked object.
 */

const RUNS = { numRuns: 300 };
const spoken = (v: number) => (PROTOCOL_VERSIONS as readonly number[]).includes(v);
const now = '2026-01-01T00:00:00.000Z';
const hello = {
  version: 1,
  type: 'hello',
  payload: { agentVersion: '1', hostname: 'h', machineId: null, intervalSeconds: 60, spoolDropped: 0, sentAt: now },
};

function expectWellFormed<T>(result: ParseResult<T>, schema: { safeParse(v: unknown): { success: boolean } }) {
  if (result.success) expect(schema.safeParse(result.data).success).toBe(true);
  else expect(result.error).toMatch(/\S/);
}

/** Valid agent messages, the starting point of the mutations below. */
const validAgentMessage = fc.oneof(
  fc.record({
    version: fc.constant(1),
    type: fc.constant('hello'),
    payload: fc.record({
      agentVersion: fc.string({ maxLength: 64 }),
      hostname: fc.string({ minLength: 1, maxLength: 255 }),
      machineId: fc.option(fc.string({ maxLength: 64 })),
      intervalSeconds: fc.integer({ min: 1, max: 86_400 }),
      spoolDropped: fc.nat(),
      sentAt: fc.constant(now),
    }),
  }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map((seq) => ({
    version: 1,
    type: 'snapshot',
    seq,
    payload: { observedAt: now, digest: factsDigest({}, {}), facts: {}, errors: {} },
  })),
  fc
    .integer({ min: 1, max: 1e9 })
    .map((seq) => ({ version: 1, type: 'digest', seq, payload: { observedAt: now, digest: 'x'.repeat(43) } })),
  fc.integer({ min: 1, max: 1e9 }).map((seq) => ({
    version: 1,
    type: 'delta',
    seq,
    payload: { observedAt: now, baseDigest: 'a'.repeat(43), digest: 'b'.repeat(43), set: {}, unset: ['sysctl'], errors: {} },
  })),
);

/** Valid server messages: what the agent's parser starts from below. */
const validServerMessage = fc.oneof(
  fc.record({
    version: fc.constant(1),
    type: fc.constant('welcome'),
    payload: fc.record(
      {
        hostId: fc.uuid(),
        credential: fc.string({ minLength: 1, maxLength: 80 }),
        lastSeq: fc.nat(),
        digest: fc.option(fc.constant('d'.repeat(43))),
        serverTime: fc.constant(now),
      },
      { requiredKeys: ['hostId', 'lastSeq', 'digest', 'serverTime'] },
    ),
  }),
  fc.nat().map((seq) => ({ version: 1, type: 'ack', seq })),
  fc.string({ maxLength: 200 }).map((reason) => ({ version: 1, type: 'resync', payload: { reason } })),
  fc
    .option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined })
    .map((intervalSeconds) => ({ version: 1, type: 'settings', payload: intervalSeconds === undefined ? {} : { intervalSeconds } })),
  fc
    .record({ code: fc.string({ maxLength: 40 }), message: fc.string({ maxLength: 200 }), fatal: fc.boolean() })
    .map((payload) => ({ version: 1, type: 'error', payload })),
);

/** Values that have broken parsers before: wrong types at the edges, prototype keys, huge and odd numbers. */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, -1, 0, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '', ' ', '\u0000', '1', 'true', '__proto__', [], {}),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
  fc.string({ minLength: 1000, maxLength: 5000 }),
);

/** Replaces or deletes the value at a random path of a message. */
function mutate(msg: unknown, path: number[], value: unknown, remove: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(msg)) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (let depth = 0; depth < path.length; depth++) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const key = keys[(path[depth] as number) % keys.length] as string;
    const child = node[key];
    if (depth === path.length - 1 || !child || typeof child !== 'object') {
      if (remove) delete node[key];
      else node[key] = value;
      break;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

describe('parseAgentMessage and parseServerMessage, property-based', () => {
  it('never throw on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
        ),
        (raw) => {
          expectWellFormed(parseAgentMessage(raw), AgentMessage);
          expectWellFormed(parseServerMessage(raw), ServerMessage);
        },
      ),
      RUNS,
    );
  });

  it('never throw on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const raw = JSON.stringify(value) ?? 'null';
        expectWellFormed(parseAgentMessage(raw), AgentMessage);
        expectWellFormed(parseServerMessage(raw), ServerMessage);
      }),
      RUNS,
    );
  });

  it('accept valid messages, and judge each mutation of one without throwing', () => {
    fc.assert(
      fc.property(
        validAgentMessage,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        nasty,
        fc.boolean(),
        (msg, path, value, remove) => {
          expect(parseAgentMessage(JSON.stringify(msg)).success).toBe(true);
          const raw = JSON.stringify(mutate(msg, path, value, remove));
          expectWellFormed(parseAgentMessage(raw), AgentMessage);
          expectWellFormed(parseServerMessage(raw), ServerMessage);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      RUNS,
    );
  });

  it('accept valid server messages, and give the agent a reason, never a throw, for each mutation of one', () => {
    fc.assert(
      fc.property(
        validServerMessage,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        nasty,
        fc.boolean(),
        (msg, path, value, remove) => {
          expect(parseServerMessage(JSON.stringify(msg)).success).toBe(true);
          const raw = JSON.stringify(mutate(msg, path, value, remove));
          expectWellFormed(parseServerMessage(raw), ServerMessage);
          expectWellFormed(parseServerMessage(Buffer.from(raw)), ServerMessage);
        },
      ),
      RUNS,
    );
  });

  it('refuse server messages of another version, an unknown type or a negative or fractional ack', () => {
    fc.assert(
      fc.property(
        validServerMessage,
        fc.oneof(
          fc.record({
            version: fc.oneof(
              fc.integer().filter((v) => !spoken(v)),
              fc.constant('1'),
              fc.constant(2.5),
            ),
          }),
          fc.record({ type: fc.string().filter((t) => !['welcome', 'ack', 'resync', 'settings', 'error'].includes(t)) }),
        ),
        (msg, override) => {
          expect(parseServerMessage(JSON.stringify({ ...msg, ...override })).success).toBe(false);
        },
      ),
      RUNS,
    );
    for (const seq of [-1, 1.5, '1', null])
      expect(parseServerMessage(JSON.stringify({ version: 1, type: 'ack', seq })).success).toBe(false);
  });

  it('refuse text PostgreSQL cannot store (NUL, unpaired surrogates) anywhere in a message, naming where', () => {
    fc.assert(
      fc.property(
        validAgentMessage,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('\u0000', 'a\u0000', '\ud800', 'x\udfff'),
        fc.boolean(),
        (msg, path, bad, asKey) => {
          const raw = JSON.stringify(mutate(msg, path, asKey ? { [bad]: 1 } : bad, false));
          // The path may end in an empty object, where nothing is set.
          if (raw === JSON.stringify(msg)) return;
          const result = parseAgentMessage(raw);
          expect(result.success).toBe(false);
          if (!result.success) expect(result.error).toMatch(/NUL characters or unpaired surrogates/);
        },
      ),
      RUNS,
    );
    // A surrogate pair (an emoji) is text like any other.
    expect(parseAgentMessage(JSON.stringify({ ...hello, payload: { ...hello.payload, hostname: '\ud83e\udd80' } })).success).toBe(true);
  });

  it('refuse times before 1970, which the ISO format allows and the database does not', () => {
    for (const sentAt of ['0000-01-01T00:00:00.000Z', '1969-12-31T23:59:59Z']) {
      const result = parseAgentMessage(JSON.stringify({ ...hello, payload: { ...hello.payload, sentAt } }));
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error).toMatch(/sentAt/);
    }
  });

  it('accept every version the protocol has had', () => {
    fc.assert(
      fc.property(validAgentMessage, validServerMessage, fc.constantFrom(...PROTOCOL_VERSIONS), (agent, server, version) => {
        expect(parseAgentMessage(JSON.stringify({ ...agent, version })).success).toBe(true);
        expect(parseServerMessage(JSON.stringify({ ...server, version })).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuse envelopes of another version, an unknown type or a sequence number that is not a positive safe integer', () => {
    fc.assert(
      fc.property(
        validAgentMessage.filter((m) => m.type !== 'hello'),
        fc.oneof(
          fc.record({
            version: fc.oneof(
              fc.integer().filter((v) => !spoken(v)),
              fc.constant('2'),
              fc.constant(null),
            ),
          }),
          fc.record({ type: fc.string().filter((t) => !['hello', 'snapshot', 'delta', 'digest'].includes(t)) }),
          fc.record({
            seq: fc.oneof(
              fc.integer({ max: 0 }),
              fc.double({ min: 1.0001, max: 1e6, noInteger: true }),
              fc.constant(Number.MAX_SAFE_INTEGER + 2),
              fc.string(),
            ),
          }),
        ),
        (msg, override) => {
          const result = parseAgentMessage(JSON.stringify({ ...msg, ...override }));
          expect(result.success).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('stay well-behaved on deep nesting and on frames at the size limit', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const inFacts = (n: number) =>
      `{"version":1,"type":"snapshot","seq":1,"payload":{"observedAt":"${now}","digest":"${'a'.repeat(43)}","facts":{"host":${deep(n)}},"errors":{}}}`;
    for (const raw of [deep(10_000), deep(MAX_FRAME_BYTES / 2), inFacts(100_000), `"${'x'.repeat(MAX_FRAME_BYTES)}"`]) {
      expectWellFormed(parseAgentMessage(raw), AgentMessage);
      expectWellFormed(parseServerMessage(raw), ServerMessage);
    }
  });
});
