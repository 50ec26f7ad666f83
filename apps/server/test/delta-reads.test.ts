import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setDigest } from '@plumbline/protocol/digest';
import type { AgentMessage } from '@plumbline/protocol/messages';
import { describe, expect, it } from 'vitest';
import { createEnrollmentToken } from '../src/access/credentials';
import { loadFixtures } from '../../../bench/fleet/facts.mjs';
import { hello, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

/**
 * A version 2 delta is judged with only some of the host's stored values read: those of the
 * facts it changes and those the rules judged again read last time; any other value a rule
 * reads is fetched during evaluation. Of the stored verdicts only those of the rules judged
 * again are read; the others stand as this server left them. Whatever the facts, the verdicts must be those a full
 * snapshot of the same facts gives. The fixture hosts differ in OS, package manager, services
 * and hardening, so moving one host's facts over to another's, one fact per delta, takes rules
 * down branches they did not take before.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = loadFixtures(repo);
const t = await build();

type Facts = Record<string, unknown>;
const enroll = async (name: string) => {
  const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name }));
  agent.send(hello(name));
  const { hostId } = (await agent.next('welcome')).payload;
  return { agent, hostId };
};
const verdicts = async (hostId: string) =>
  (
    await t.db.prisma.ruleResult.findMany({
      where: { hostId },
      select: { ruleId: true, status: true, evidenceDigest: true },
      orderBy: { ruleId: 'asc' },
    })
  ).map((r) => `${r.ruleId} ${r.status} ${r.evidenceDigest}`);

const figures = (hostId: string) =>
  t.db.prisma.host.findUniqueOrThrow({
    where: { id: hostId },
    select: { score: true, passCount: true, failCount: true, naCount: true, errorCount: true, passWeight: true, failWeight: true },
  });

/** A version 2 snapshot of these facts and errors. */
const snapshotOf = (seq: number, facts: Facts, errors: Record<string, unknown>): AgentMessage =>
  ({
    ...snapshot(seq, facts as never),
    payload: { observedAt: new Date().toISOString(), digest: setDigest(2, facts, errors), facts, errors },
  }) as AgentMessage;

/** One host's facts moved over to another's one fact at a time, in name order: each fact set on the way, and the fact it moved. */
function* oneFactAtATime(from: Facts, to: Facts): Generator<{ name: string; before: Facts; after: Facts }> {
  let before: Facts = { ...from };
  for (const name of new Set([...Object.keys(from), ...Object.keys(to)].sort())) {
    const after: Facts = { ...before };
    if (name in to) after[name] = to[name];
    else delete after[name];
    yield { name, before, after };
    before = after;
  }
}

/** The host's verdicts, score and counts are those of the same facts judged whole, in a first snapshot on a host of their own. */
async function expectJudgedAsWhole(hostId: string, name: string, facts: Facts, errors: Record<string, unknown>): Promise<void> {
  const whole = await enroll(name);
  whole.agent.send(snapshotOf(1, facts, errors));
  await whole.agent.next('ack');
  whole.agent.close();
  const got = await verdicts(hostId);
  expect(got.length).toBeGreaterThan(100);
  expect(got).toEqual(await verdicts(whole.hostId));
  // The score is formed from every verdict, those taken as they were left included.
  expect(await figures(hostId)).toEqual(await figures(whole.hostId));
}

describe('version 2 deltas judged with the values read on demand', () => {
  it.each([
    ['debian12-default', 'rhel9'],
    ['edge-mqtt', 'debian12-hardened'],
    ['ubuntu-2404', 'edge-mqtt'],
  ])('leave the verdicts a snapshot gives, moving %s over to %s one fact at a time', async (fromName, toName) => {
    const from = fixtures.find((f) => f.name === fromName)!;
    const to = fixtures.find((f) => f.name === toName)!;
    const { agent, hostId } = await enroll(`moving-${fromName}`);
    const errors = to.errors;
    agent.send(snapshotOf(1, from.facts, from.errors));
    expect(await agent.next('ack')).toMatchObject({ seq: 1 });
    let seq = 1;
    let facts: Facts = from.facts;
    for (const { name, before, after } of oneFactAtATime(from.facts, to.facts)) {
      seq++;
      agent.send({
        version: 2,
        type: 'delta',
        seq,
        payload: {
          observedAt: new Date().toISOString(),
          baseDigest: setDigest(2, before, seq === 2 ? from.errors : errors),
          digest: setDigest(2, after, errors),
          set: name in to.facts ? { [name]: to.facts[name] } : {},
          unset: name in to.facts ? [] : [name],
          errors,
        },
      } as AgentMessage);
      expect(await agent.next('ack')).toMatchObject({ seq });
      facts = after;
    }
    agent.close();

    await expectJudgedAsWhole(hostId, `whole-${toName}-${fromName}`, facts, errors);
  });
});

describe('snapshots judged with the stored verdicts of the rules that read a changed fact', () => {
  it.each([
    ['debian12-default', 'rhel9'],
    ['edge-mqtt', 'debian12-hardened'],
  ])('leave the verdicts a first snapshot gives, moving %s over to %s one fact a snapshot', async (fromName, toName) => {
    const from = fixtures.find((f) => f.name === fromName)!;
    const to = fixtures.find((f) => f.name === toName)!;
    const { agent, hostId } = await enroll(`snapshots-${fromName}`);
    const send = async (seq: number, facts: Facts, errors: Record<string, unknown>) => {
      agent.send(snapshotOf(seq, facts, errors));
      expect(await agent.next('ack')).toMatchObject({ seq });
    };
    await send(1, from.facts, from.errors);
    let seq = 1;
    let facts: Facts = from.facts;
    for (const { after } of oneFactAtATime(from.facts, to.facts)) {
      await send(++seq, after, to.errors);
      facts = after;
    }
    agent.close();

    await expectJudgedAsWhole(hostId, `snapshots-whole-${toName}-${fromName}`, facts, to.errors);
  });
});
