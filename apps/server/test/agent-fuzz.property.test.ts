import { factsDigest, setDigest } from '@plumbline/protocol/digest';
import type { Facts } from '@plumbline/protocol/facts';
import { MAX_FRAME_BYTES } from '@plumbline/protocol/limits';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { FUZZ_SEED, nastyString, nastyValue } from './fuzz-inputs';
import { build } from './helper';
import { rowCounter } from './row-counts';

/**
 * A connected, enrolled agent sends mutated snapshots and deltas over a real socket. Each
 * frame is either acknowledged (it was valid after all), answered with resync, or refused
 * with 4400/4409; never 1011 or silence. A frame that is not acknowledged leaves every
 * table as it was, and the server keeps serving agents afterwards.
 */

const RUNS = Number(process.env.PLUMBLINE_FUZZ_RUNS ?? 100);
const t = await build();
const { counts } = await rowCounter(t.db);

async function enroll(hostname: string) {
  const token = await createEnrollmentToken(t.db, { name: hostname });
  const agent = await TestAgent.connect(t.url, token);
  agent.send(hello(hostname));
  const welcome = await agent.next('welcome');
  return { agent, credential: welcome.payload.credential! };
}

const base = await enroll('fuzz-host');
const baseFacts = hostFacts('fuzz-host');
base.agent.send(snapshot(1, baseFacts));
await base.agent.next('ack');
base.agent.close();
await base.agent.waitClose();

/** Reconnects the enrolled agent; resolves once welcomed, with the sequence the server holds. */
async function reconnect() {
  const agent = await TestAgent.connect(t.url, base.credential);
  agent.send(hello('fuzz-host'));
  const welcome = await agent.next('welcome');
  return { agent, lastSeq: welcome.payload.lastSeq, digest: welcome.payload.digest };
}

/** The server's answer to one frame: its first message, or the close. */
async function answer(agent: TestAgent, ms = 10_000): Promise<{ type: string; code?: number; reason?: string }> {
  const deadline = Date.now() + ms;
  while (!agent.received.length && !agent.closed) {
    if (Date.now() > deadline) throw new Error('no answer to the frame');
    await new Promise((r) => setTimeout(r, 10));
  }
  const msg = agent.received.shift();
  return msg ? { type: msg.type } : { type: 'close', ...agent.closed! };
}

/** Sets or deletes the value at a pseudo-random path of a JSON value. */
function mutate(value: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let node = copy;
  for (let depth = 0; depth < path.length; depth++) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const key = keys[path[depth]! % keys.length]!;
    const child = node[key];
    if (depth === path.length - 1 || !child || typeof child !== 'object') {
      if (remove) delete node[key];
      else node[key] = replacement;
      break;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

const now = () => new Date().toISOString();
/** Facts the schema may or may not accept; the digest is made to match so ingest goes as deep as it can. */
const withDigest = (facts: unknown, errors: unknown = {}) => {
  try {
    return factsDigest(facts as Facts, errors as Record<string, never>);
  } catch {
    return 'x'.repeat(43);
  }
};

type Frame = (lastSeq: number, digest: string | null) => string | Buffer;
const frames: fc.Arbitrary<Frame> = fc.oneof(
  // A valid snapshot mutated at a random path, digest recomputed or left stale.
  fc
    .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), nastyValue, fc.boolean(), fc.boolean())
    .map(([path, v, remove, redigest]): Frame => (seq) => {
      const facts = mutate(hostFacts('fuzz-host', 'yes'), path, v, remove);
      return JSON.stringify({
        version: 1,
        type: 'snapshot',
        seq: seq + 1,
        payload: { observedAt: now(), digest: redigest ? withDigest(facts) : withDigest(baseFacts), facts, errors: {} },
      });
    }),
  // The whole envelope mutated: wrong seq types, versions, types, payloads.
  fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), nastyValue, fc.boolean()).map(([path, v, remove]): Frame => (seq) => {
    const msg = snapshot(seq + 1, hostFacts('fuzz-host', 'no'));
    return JSON.stringify(mutate(msg, path, v, remove));
  }),
  // Random facts objects, digest matching.
  fc
    .dictionary(fc.oneof(nastyString, fc.constantFrom('host', 'sshd_config', 'sysctl', 'packages', 'users', '__proto__')), nastyValue, {
      maxKeys: 5,
    })
    .map(
      (facts): Frame =>
        (seq) =>
          JSON.stringify({
            version: 1,
            type: 'snapshot',
            seq: seq + 1,
            payload: { observedAt: now(), digest: withDigest(facts), facts, errors: {} },
          }),
    ),
  // Deltas over the stored facts, with a mismatched or right base and random set/unset.
  fc.tuple(fc.dictionary(nastyString, nastyValue, { maxKeys: 3 }), fc.array(nastyString, { maxLength: 4 }), fc.boolean()).map(
    ([set, unset, rightBase]): Frame =>
      (seq, digest) =>
        JSON.stringify({
          version: 1,
          type: 'delta',
          seq: seq + 1,
          payload: {
            observedAt: now(),
            baseDigest: rightBase && digest ? digest : 'y'.repeat(43),
            digest: withDigest({ ...baseFacts, ...set }),
            set,
            unset,
            errors: {},
          },
        }),
  ),
  // The same in protocol version 2, whose digest is formed from the facts' own digests.
  fc
    .tuple(fc.dictionary(nastyString, nastyValue, { maxKeys: 3 }), fc.array(nastyString, { maxLength: 4 }), fc.boolean())
    .map(([set, unset, rightBase]): Frame => (seq, digest) => {
      let next: string;
      try {
        const facts: Record<string, unknown> = { ...baseFacts, ...set };
        for (const name of unset) delete facts[name];
        next = setDigest(2, facts, {});
      } catch {
        next = 'v'.repeat(43);
      }
      return JSON.stringify({
        version: 2,
        type: 'delta',
        seq: seq + 1,
        payload: { observedAt: now(), baseDigest: rightBase && digest ? digest : 'y'.repeat(43), digest: next, set, unset, errors: {} },
      });
    }),
  // Gigantic arrays that still fit in one frame.
  fc.constantFrom(40_000, 90_000).map(
    (n): Frame =>
      (seq, digest) =>
        JSON.stringify({
          version: 1,
          type: 'delta',
          seq: seq + 1,
          payload: {
            observedAt: now(),
            baseDigest: digest,
            digest: 'z'.repeat(43),
            set: {},
            unset: Array.from({ length: n }, (_, i) => `f${i}`),
            errors: {},
          },
        }).slice(0, MAX_FRAME_BYTES),
  ),
  // Binary garbage, a second hello, an odd timestamp.
  fc.uint8Array({ minLength: 1, maxLength: 4096 }).map(
    (bytes): Frame =>
      () =>
        Buffer.from(bytes),
  ),
  fc.constant<Frame>(() => JSON.stringify(hello('fuzz-host'))),
  fc.constantFrom('0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-02-30T00:00:00Z').map(
    (observedAt): Frame =>
      (seq) =>
        JSON.stringify(snapshot(seq + 1, baseFacts, observedAt)),
  ),
);

describe('agent ingest under adversarial frames, property-based', () => {
  it('acknowledges, resyncs or closes with 4400/4409, storing nothing it did not acknowledge', async () => {
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        const { agent, lastSeq, digest } = await reconnect();
        const before = await counts();
        const raw = frame(lastSeq, digest);
        agent.send(raw);
        const got = await answer(agent);
        const what = `${got.type} ${got.code ?? ''} ${got.reason ?? ''} <- ${String(raw).slice(0, 300)}`;
        expect(['ack', 'resync', 'close'], what).toContain(got.type);
        if (got.type === 'close') expect([4400, 4409], what).toContain(got.code);
        if (got.type !== 'ack') expect(await counts(), what).toEqual(before);
        agent.close();
        await agent.waitClose();
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  });

  it('still enrolls and ingests a fresh agent afterwards', async () => {
    const fresh = await enroll('after-fuzz');
    fresh.agent.send(snapshot(1, hostFacts('after-fuzz')));
    expect((await fresh.agent.next('ack')).seq).toBe(1);
    fresh.agent.close();
  });
});
