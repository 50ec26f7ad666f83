import { CloseCode } from '@plumbline/protocol/limits';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { memoryBus, type BusEvent, type LiveBus } from '../../live/bus';
import type { EndedConnection } from '../../ingest/repository';
import { AgentBalance, agentsToMove, MOVE_GRACE_MS, type ReplicaLoad } from './rebalance';

describe('agentsToMove', () => {
  const peer = (agents: number, capacity: number | null = null) => ({ agents, capacity });

  it('moves no one from a replica that is alone, or within its fair share and the tolerance', () => {
    expect(agentsToMove(20_000, [])).toBe(0);
    expect(agentsToMove(10_000, [peer(10_000)])).toBe(0);
    // Fair share 10,000: 400 over is within 5% of it.
    expect(agentsToMove(10_400, [peer(9_600)])).toBe(0);
    // Small fleets: within 10 agents.
    expect(agentsToMove(20, [peer(10)])).toBe(0);
  });

  it('moves half of the excess, at most a tenth of its agents at a time', () => {
    // A replica back from a restart holds no one: the other gives a tenth of its 20,000.
    expect(agentsToMove(20_000, [peer(0)])).toBe(2000);
    // Close to even: half of the 1,000 over the fair share of 10,000.
    expect(agentsToMove(11_000, [peer(9_000)])).toBe(500);
    // Three replicas, one empty: fair share 10,000.
    expect(agentsToMove(11_000, [peer(11_000), peer(8_000)])).toBe(500);
  });

  it('moves a small excess when another replica is far below its share (one of 40 back from a restart)', () => {
    const others = Array.from({ length: 38 }, () => peer(7_692));
    // Each of 39 holds 7,692, 2.5% over the fair share of 7,500; the 40th holds no one.
    expect(agentsToMove(7_692, [...others, peer(0)])).toBe(96);
    // Once that one is within 5% of its share, nothing moves.
    expect(agentsToMove(7_510, [...Array.from({ length: 38 }, () => peer(7_510)), peer(7_120)])).toBe(0);
  });

  it('never moves more than the other replicas have room for', () => {
    expect(agentsToMove(20_000, [peer(0, 500)])).toBe(500);
    expect(agentsToMove(20_000, [peer(9_000, 9_000)])).toBe(0);
  });

  it('evens out 40 replicas after one restarted, in a few rounds, none of them swinging past', () => {
    const counts = [...Array.from({ length: 39 }, () => 7_692), 12];
    for (let round = 0; round < 20; round++) {
      const moves = counts.map((mine, i) =>
        agentsToMove(
          mine,
          counts.filter((_, j) => j !== i).map((agents) => peer(agents)),
        ),
      );
      const moved = moves.reduce((a, b) => a + b, 0);
      // The balancer sends each moved agent to the emptiest replica, as least-connections does.
      counts.forEach((_, i) => (counts[i]! -= moves[i]!));
      counts[39]! += moved;
    }
    expect(counts[39]).toBeGreaterThanOrEqual(7_500 * 0.95 - 10);
    expect(Math.max(...counts)).toBeLessThanOrEqual(7_692);
  });

  it('evens out two replicas in a few rounds without swinging past', () => {
    let [a, b] = [20_000, 0];
    const rounds: number[] = [];
    for (let i = 0; i < 30; i++) {
      const fromA = agentsToMove(a, [peer(b)]);
      const fromB = agentsToMove(b, [peer(a)]);
      expect(fromA > 0 && fromB > 0).toBe(false);
      a += fromB - fromA;
      b += fromA - fromB;
      rounds.push(a);
    }
    expect(a - b).toBeLessThanOrEqual(1000);
    expect(Math.min(...rounds)).toBeGreaterThanOrEqual(10_000);
    // The last move happens within 10 rounds, then nothing changes.
    expect(rounds.slice(10).every((x) => x === a)).toBe(true);
  });
});

/** A socket as AgentBalance uses it: open until closed, the close code kept. */
function socket(): WebSocket & { closedWith?: number } {
  const s = {
    OPEN: 1,
    readyState: 1,
    closedWith: undefined as number | undefined,
    close(code: number) {
      s.closedWith = code;
      s.readyState = 3;
    },
  };
  return s as unknown as WebSocket & { closedWith?: number };
}

describe('AgentBalance', () => {
  const INTERVAL = 1000;
  let bus: LiveBus;
  let sockets: Map<string, ReturnType<typeof socket>>;
  let busy: Set<WebSocket>;
  let ended: EndedConnection[][];
  let balance: AgentBalance;
  let heard: BusEvent[];

  beforeEach(() => {
    vi.useFakeTimers();
    bus = memoryBus();
    heard = [];
    bus.subscribe((e) => heard.push(e));
    sockets = new Map(Array.from({ length: 100 }, (_, i) => [`h${i}`, socket()]));
    busy = new Set();
    ended = [];
    balance = new AgentBalance({
      intervalMs: INTERVAL,
      capacity: 150,
      bus,
      log: pino({ level: 'silent' }),
      sockets,
      busy: (s) => busy.has(s),
      ended: async (e) => void ended.push(e),
      onMove: () => undefined,
    });
  });
  afterEach(async () => {
    await balance.stop();
    vi.useRealTimers();
  });

  const load = (replica: string, agents: number, leaving = false): ReplicaLoad => ({
    type: 'replica.load',
    replica,
    agents,
    capacity: null,
    leaving,
    at: new Date().toISOString(),
  });
  const closed = () => [...sockets.values()].filter((s) => s.closedWith !== undefined);

  it('reports its agents and capacity at start and every interval, and that it leaves at stop', async () => {
    balance.start();
    vi.advanceTimersByTime(2 * INTERVAL);
    await balance.stop();
    const own = heard.filter((e): e is ReplicaLoad => e.type === 'replica.load' && e.replica === balance.replica);
    expect(own.map((e) => [e.agents, e.capacity, e.leaving])).toEqual([
      [100, 150, false],
      [100, 150, false],
      [100, 150, false],
      [0, 150, true],
    ]);
  });

  it('alone, moves no one', () => {
    balance.start();
    vi.advanceTimersByTime(5 * INTERVAL);
    expect(closed()).toEqual([]);
  });

  it('with an empty peer, closes a tenth of its idle agents over the next interval with the rebalance code', () => {
    for (const [, s] of [...sockets].slice(0, 3)) busy.add(s);
    balance.start();
    bus.publish(load('peer', 0));
    vi.advanceTimersByTime(INTERVAL);
    // One at once, the others spread over the interval.
    expect(closed()).toHaveLength(1);
    vi.advanceTimersByTime(INTERVAL / 2);
    expect(closed().length).toBeGreaterThan(3);
    expect(closed().length).toBeLessThan(10);
    vi.advanceTimersByTime(INTERVAL / 2 - 1);
    expect(closed()).toHaveLength(10);
    expect(closed().every((s) => s.closedWith === CloseCode.rebalanced && balance.wasMoved(s))).toBe(true);
    // Busy sockets (a message in hand) are left alone.
    expect(closed().some((s) => busy.has(s))).toBe(false);
  });

  it('moves no one while it is still gaining agents (a peer stopped and its agents fail over here)', () => {
    sockets.clear();
    balance.start();
    bus.publish(load('peer', 0));
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 40; i++) sockets.set(`r${round}-${i}`, socket());
      vi.advanceTimersByTime(INTERVAL);
      bus.publish(load('peer', 0));
    }
    expect(closed()).toEqual([]);
    // The storm is over: the next round moves a tenth of the 120.
    vi.advanceTimersByTime(2 * INTERVAL - 1);
    expect(closed()).toHaveLength(12);
  });

  it('moves no one while the fleet is still coming back (agents reconnecting to another replica)', () => {
    balance.start();
    for (let round = 1; round <= 3; round++) {
      bus.publish(load('peer', 20 * round));
      vi.advanceTimersByTime(INTERVAL);
    }
    expect(closed()).toEqual([]);
    // The peer holds 60 and no more come: the next round moves half of the 20 over the fair share of 80.
    bus.publish(load('peer', 60));
    vi.advanceTimersByTime(2 * INTERVAL - 1);
    expect(closed()).toHaveLength(10);
  });

  it('forgets a peer that leaves, and one not heard from for 2.5 intervals', () => {
    balance.start();
    bus.publish(load('peer', 0));
    bus.publish(load('peer', 0, true));
    vi.advanceTimersByTime(3 * INTERVAL);
    expect(closed()).toEqual([]);

    bus.publish(load('quiet', 0));
    vi.advanceTimersByTime(3 * INTERVAL);
    // Heard from in the first round only: moves stop once it is forgotten.
    const moved = closed().length;
    expect(moved).toBeGreaterThan(0);
    vi.advanceTimersByTime(5 * INTERVAL);
    expect(closed()).toHaveLength(moved);
  });

  it('records the end of a moved connection only after the grace, or at once when it stops', async () => {
    balance.start();
    balance.endLater({ hostId: 'h1', connection: 'c1' });
    vi.advanceTimersByTime(MOVE_GRACE_MS - INTERVAL);
    expect(ended).toEqual([]);
    balance.endLater({ hostId: 'h2', connection: 'c2' });
    vi.advanceTimersByTime(2 * INTERVAL);
    expect(ended).toEqual([[{ hostId: 'h1', connection: 'c1' }]]);
    await balance.stop();
    expect(ended).toEqual([[{ hostId: 'h1', connection: 'c1' }], [{ hostId: 'h2', connection: 'c2' }]]);
  });
});
