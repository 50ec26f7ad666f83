import { CloseCode } from '@plumbline/protocol/limits';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { buildApp } from '../src/app';
import type { Database } from '../src/db/open';
import { memoryBus, postgresBus, type BusEvent, type LiveBus } from '../src/live/bus';
import { hello, TestAgent } from './agent-client';
import { until } from './faults/procs';
import { freshDatabase, onPostgres } from './helper';

/**
 * Two replicas on one database after one of them restarted: every agent is on the other.
 * Each agent stands behind a load balancer that sends its next connection to the other
 * replica (as the fleet simulator's agents do). The replicas compare their loads every 200 ms
 * and the crowded one moves agents until both hold about half; no host goes offline on the
 * way. On PostgreSQL each replica has its own pool and live bus, as two processes do; on the
 * embedded database, which one process owns, they share the database and one bus.
 */
const INTERVAL_MS = 200;
const AGENTS = 60;
const tdb = await freshDatabase();
const log = pino({ level: 'silent' });
const dbA = await tdb.open();
const dbB = onPostgres ? await tdb.open() : dbA;
const shared = onPostgres ? null : memoryBus();

async function replica(db: Database) {
  const bus: LiveBus = db.pool ? await postgresBus(db.pool, log) : shared!;
  const app = await buildApp({ config: { ...tdb.config, agentRebalanceMs: INTERVAL_MS }, db, bus, log });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, bus, url };
}
const replicas = [await replica(dbA), await replica(dbB)] as const;

afterAll(async () => {
  for (const r of replicas) await r.app.close();
  for (const bus of new Set(replicas.map((r) => r.bus))) await bus.close();
  await dbA.close();
  if (dbB !== dbA) await dbB.close();
  await tdb.drop();
});

const headers = { authorization: `Bearer ${await createApiKey(dbA, 'tests', 'admin')}` };

/** An agent behind a balancer that alternates between the two replicas. */
class BalancedAgent {
  agent: TestAgent | null = null;
  on: 0 | 1 | null = null;
  moves = 0;
  closes: number[] = [];
  failed: Error | null = null;
  hostId = '';

  constructor(
    readonly name: string,
    private secret: string,
  ) {}

  async connect(to: 0 | 1): Promise<void> {
    const agent = await TestAgent.connect(replicas[to].url, this.secret);
    agent.send(hello(this.name));
    const { payload } = await agent.next('welcome');
    if (payload.credential) this.secret = payload.credential;
    this.hostId = payload.hostId;
    this.agent = agent;
    this.on = to;
    agent.ws.on('close', (code) => {
      if (this.agent !== agent) return;
      this.on = null;
      this.closes.push(code);
      if (code !== CloseCode.rebalanced) return;
      this.moves++;
      setTimeout(() => this.connect(to === 0 ? 1 : 0).catch((err: Error) => (this.failed = err)), 20);
    });
  }
}

const counts = (agents: BalancedAgent[]) => [0, 1].map((i) => agents.filter((a) => a.on === i).length);

describe('replicas evening out their agents', () => {
  it('moves agents from the crowded replica to the empty one until both hold about half, with every host online throughout', async () => {
    const offline: BusEvent[] = [];
    replicas[1].bus.subscribe((e) => {
      if (e.type === 'host.online' && !e.online) offline.push(e);
    });
    // A dashboard's live feed: it hears of hosts, never of the replicas' loads.
    const live = new WebSocket(`${replicas[1].url.replace(/^http/, 'ws')}/api/v1/live`, { headers });
    const fed: string[] = [];
    live.on('message', (d: Buffer) => fed.push((JSON.parse(d.toString()) as { type: string }).type));
    await new Promise((resolve) => live.once('open', resolve));
    const token = await createEnrollmentToken(dbA, { name: 'fleet', maxUses: String(AGENTS) });
    const agents = Array.from({ length: AGENTS }, (_, i) => new BalancedAgent(`rebalanced-${i}`, token));
    // All on replica 0 at first; replica 1 has just come back and holds no one.
    await Promise.all(agents.map((a) => a.connect(0)));

    // Fair share 30; within 10 of it, nothing moves. Moves decided in a round go on over the
    // next interval, so the count is read once none came for three intervals.
    const moves = () => agents.reduce((n, a) => n + a.moves, 0);
    let last = { moves: -1, at: Date.now() };
    await until(
      'no move for three intervals, replica 0 within 10 agents of half',
      async () => {
        if (moves() !== last.moves) last = { moves: moves(), at: Date.now() };
        const [a, b] = counts(agents);
        return Date.now() - last.at > 3 * INTERVAL_MS && a! <= AGENTS / 2 + 10 && a! + b! === AGENTS;
      },
      20_000,
      50,
    );
    // It stays there: more rounds move no one back and forth.
    const settled = moves();
    expect(settled).toBeGreaterThanOrEqual(AGENTS / 2 - 10);
    await new Promise((r) => setTimeout(r, 5 * INTERVAL_MS));
    expect(moves()).toBe(settled);
    expect(agents.filter((a) => a.failed)).toEqual([]);
    const [onA, onB] = counts(agents);
    expect(onA! + onB!).toBe(AGENTS);
    expect(onB).toBeGreaterThanOrEqual(AGENTS / 2 - 10);
    // Only the crowded replica asked anyone to move, and only with the rebalance code.
    expect(agents.flatMap((a) => a.closes).every((c) => c === CloseCode.rebalanced)).toBe(true);

    // A moved agent's host stayed online: its hello on the other replica came within the grace.
    expect(offline).toEqual([]);
    const list = await replicas[1].app.inject({ method: 'GET', url: '/api/v1/hosts?limit=100', headers });
    const items = list.json().items as { id: string; online: boolean }[];
    expect(items.filter((h) => agents.some((a) => a.hostId === h.id)).every((h) => h.online)).toBe(true);
    expect(replicas[0].app.agents.sockets.size + replicas[1].app.agents.sockets.size).toBe(AGENTS);

    expect(fed).toContain('host.updated');
    expect(fed).not.toContain('replica.load');
    live.close();

    // The metric counts them.
    const metrics = await replicas[0].app.inject({ method: 'GET', url: '/metrics', headers });
    expect(metrics.body).toMatch(new RegExp(`plumbline_agents_moved_total ${settled}\\b`));

    for (const a of agents) {
      a.on = null;
      const agent = a.agent!;
      a.agent = null;
      agent.close();
    }
  });
});
