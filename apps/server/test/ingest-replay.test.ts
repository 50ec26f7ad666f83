import { parseAgentMessage } from '@plumbline/protocol/messages';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

/**
 * Two connections of one agent (an old socket not yet noticed dead, and its replacement) may
 * deliver the same sequence number at the same moment. Exactly one of them is stored.
 */
const { app, db, url } = await build();

describe('one sequence number delivered twice at once', () => {
  it('is stored once', async () => {
    const headers = { authorization: `Bearer ${await createApiKey(db, 'race', 'admin')}` };
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'race' }));
    agent.send(hello('racer'));
    const { hostId } = (await agent.next('welcome')).payload;
    const [a, b] = [hostFacts('racer', 'no'), hostFacts('racer', 'yes')];
    agent.send(snapshot(1, a));
    await agent.next('ack');
    agent.close();

    // Straight into the ingest service, as two sockets' handlers would call it: both read the
    // host's last sequence number before either transaction has stored anything.
    const parsed = parseAgentMessage(JSON.stringify(delta(2, a, b)));
    if (!parsed.success || parsed.data.type === 'hello') throw new Error('bad test message');
    const msg = parsed.data;
    const results = await Promise.all([app.ingest.handle(hostId, msg), app.ingest.handle(hostId, msg)]);
    expect(results).toEqual([
      { type: 'ack', seq: 2 },
      { type: 'ack', seq: 2 },
    ]);

    const changes = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/changes?limit=100`, headers })).json();
    expect(changes.items.filter((ch: { path: string }) => ch.path.endsWith('permitrootlogin.value'))).toHaveLength(1);
    const drift = (await app.inject({ method: 'GET', url: `/api/v1/drift?host=${hostId}&kind=compliance`, headers })).json();
    expect(drift.items.filter((d: { ruleId: string }) => d.ruleId === 'plb-ssh-permit-root-login')).toHaveLength(1);
  });
});
