import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { buildApp } from '../src/app';
import type { Database } from '../src/db/open';
import { memoryBus, postgresBus } from '../src/live/bus';
import { hello, TestAgent } from './agent-client';
import { freshDatabase, onPostgres, until } from './helper';

/**
 * Two replicas on one database, as behind a load balancer. An agent's connection to replica
 * A ends, as far as A can tell, only after the agent said hello on replica B: a socket that
 * went quiet and is found dead by A's heartbeat, one waiting behind a backlog of messages,
 * or A shutting down. The host stays online: only the end of the connection that said hello
 * last marks it offline. On PostgreSQL each replica has its own pool and live bus; on the
 * embedded database, which one process owns, the two apps share it.
 */
const tdb = await freshDatabase();
const log = pino({ level: 'silent' });
const dbA = await tdb.open();
const dbB = onPostgres ? await tdb.open() : dbA;

async function replica(db: Database) {
  const bus = db.pool ? await postgresBus(db.pool, log) : memoryBus();
  const app = await buildApp({ config: tdb.config, db, bus, log });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, bus, url };
}
const a = await replica(dbA);
const b = await replica(dbB);

afterAll(async () => {
  for (const r of [a, b]) {
    await r.app.close();
    await r.bus.close();
  }
  await dbA.close();
  if (dbB !== dbA) await dbB.close();
  await tdb.drop();
});

const headers = { authorization: `Bearer ${await createApiKey(dbA, 'tests', 'admin')}` };
const online = async (hostId: string): Promise<boolean> =>
  (await b.app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json().online;

async function enrollOn(url: string, hostname: string) {
  const agent = await TestAgent.connect(url, await createEnrollmentToken(dbA, { name: hostname }));
  agent.send(hello(hostname));
  const { hostId, credential } = (await agent.next('welcome')).payload;
  return { agent, hostId, credential: credential! };
}

async function helloOn(url: string, credential: string, hostname: string): Promise<TestAgent> {
  const agent = await TestAgent.connect(url, credential);
  agent.send(hello(hostname));
  await agent.next('welcome');
  return agent;
}

describe('an agent moving between replicas', () => {
  it('stays online when its old connection to one replica ends after its hello on another', async () => {
    const moved = await enrollOn(a.url, 'moved');
    const stayed = await enrollOn(a.url, 'stayed');
    const onB = await helloOn(b.url, moved.credential, 'moved');

    // A learns of both ends only now, the moved agent's first.
    moved.agent.close();
    await moved.agent.waitClose();
    stayed.agent.close();
    await stayed.agent.waitClose();
    await until(async () => !(await online(stayed.hostId)));
    expect(await online(stayed.hostId)).toBe(false);
    expect(await online(moved.hostId)).toBe(true);

    // The end of the connection that said hello last still marks it offline.
    onB.close();
    await until(async () => !(await online(moved.hostId)));
    expect(await online(moved.hostId)).toBe(false);
  });

  it('stays online when the replica it left shuts down', async () => {
    const moved = await enrollOn(a.url, 'moved-before-shutdown');
    const left = await enrollOn(a.url, 'left-at-shutdown');
    const onB = await helloOn(b.url, moved.credential, 'moved-before-shutdown');

    // A marks the hosts it holds offline before it closes their sockets.
    await a.app.close();
    expect(await online(left.hostId)).toBe(false);
    expect(await online(moved.hostId)).toBe(true);
    onB.close();
  });
});
