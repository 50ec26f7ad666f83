import { randomUUID } from 'node:crypto';
import { CloseCode } from '@plumbline/protocol/limits';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { LiveBus } from '../../live/bus';
import type { EndedConnection } from '../../ingest/repository';

/**
 * How many agents a replica tells of itself, on the live bus (PostgreSQL NOTIFY: every replica
 * on the database hears it). Server-internal, never sent to dashboard clients. `leaving`: the
 * replica is shutting down and holds no one from now on.
 */
export interface ReplicaLoad {
  type: 'replica.load';
  replica: string;
  agents: number;
  /** The most agents it takes (PLUMBLINE_MAX_AGENTS or its open-files limit); null: no limit. */
  capacity: number | null;
  leaving: boolean;
  at: string;
}

/**
 * Replicas are even enough when none is more than 5% of the fair share above or below it,
 * and a replica never moves fewer than this many agents' worth of excess.
 */
const TOLERANCE_AGENTS = 10;
const TOLERANCE_SHARE = 0.05;
/** At most this part of its agents a replica asks to move in one interval. */
const MAX_STEP_SHARE = 0.1;
/**
 * While the agents connected to this replica, or to all of them, grew by more than this part
 * (or TOLERANCE_AGENTS) in the last interval, agents are still coming back from an outage.
 */
const GAINING_SHARE = 0.005;

/** How far from its fair share of the fleet's agents a replica may be and still count as even. */
export function evenTolerance(fair: number): number {
  return Math.max(TOLERANCE_AGENTS, Math.ceil(fair * TOLERANCE_SHARE));
}

/**
 * How many of its agents a replica should ask to reconnect elsewhere this interval, from its
 * own count and the last report of every other replica. Its fair share is the fleet's agents
 * over the replicas. Only a replica above it moves agents, and only when the replicas are
 * uneven: it is itself more than the tolerance above, or another is more than the tolerance
 * below (with 40 replicas, one back from a restart is empty while each other is only 2.5%
 * over). It then moves half of its excess (each replica acts on reports up to an interval
 * old, and the agents it lets go land over the next one: halving the difference each time
 * evens replicas out without swinging past), at most a tenth of its agents at a time (each
 * one moved is a reconnect, a credential check and a hello), and never more than the others
 * have room for.
 */
export function agentsToMove(mine: number, peers: ReadonlyArray<{ agents: number; capacity: number | null }>): number {
  if (peers.length === 0) return 0;
  const total = peers.reduce((sum, p) => sum + p.agents, mine);
  const fair = Math.ceil(total / (peers.length + 1));
  const excess = mine - fair;
  const tolerance = evenTolerance(fair);
  const uneven = excess > tolerance || peers.some((p) => p.agents < fair - tolerance);
  if (excess <= TOLERANCE_AGENTS || !uneven) return 0;
  const room = peers.reduce((sum, p) => sum + (p.capacity === null ? Infinity : Math.max(0, p.capacity - p.agents)), 0);
  return Math.min(Math.ceil(excess / 2), Math.ceil(mine * MAX_STEP_SHARE), room);
}

/** A report older than this many intervals is from a replica that stopped without saying so. */
const STALE_INTERVALS = 2.5;
/** How long a moved agent's host stays online while its agent reconnects elsewhere. */
export const MOVE_GRACE_MS = 30_000;

/**
 * Evens out the agents of the replicas on one database. A load balancer spreads new
 * connections, but established ones stay where they are: after one replica restarts, its
 * agents have all failed over to the others and it comes back empty, and after a rolling
 * restart the last replica restarted holds almost no one. Every `intervalMs` each replica
 * reports how many agents it holds; one above its fair share (`agentsToMove`) closes that many
 * idle agent connections over the next interval with CloseCode.rebalanced, and the agents
 * reconnect within a few seconds, through the balancer, mostly to another replica.
 *
 * A moved agent's host does not go offline: its end is recorded after MOVE_GRACE_MS, by when
 * its hello elsewhere has made this connection an old one, and the record changes nothing
 * (only the end of the connection that said hello last marks a host offline). One that did
 * not come back within the grace goes offline then.
 */
export class AgentBalance {
  readonly replica = randomUUID();
  private readonly peers = new Map<string, { agents: number; capacity: number | null; heardAt: number }>();
  private readonly moved = new WeakSet<WebSocket>();
  /** Ends of moved connections, recorded once their grace is over. */
  private readonly awaiting: Array<{ ended: EndedConnection; due: number }> = [];
  private last = { mine: 0, fleet: 0 };
  private tick: NodeJS.Timeout | undefined;
  private closing: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly opts: {
      intervalMs: number;
      capacity: number | null;
      bus: LiveBus;
      log: FastifyBaseLogger;
      /** The agents that said hello here, by host id. */
      sockets: ReadonlyMap<string, WebSocket>;
      /** Whether a socket has a message being handled (those are left alone). */
      busy: (socket: WebSocket) => boolean;
      /** Records ends of connections (marks hosts offline where no newer hello came since). */
      ended: (ended: EndedConnection[]) => Promise<void>;
      /** Counts each agent asked to move. */
      onMove: () => void;
    },
  ) {}

  start(): void {
    if (this.opts.intervalMs <= 0) return;
    this.unsubscribe = this.opts.bus.subscribe((event) => {
      if (event.type !== 'replica.load' || event.replica === this.replica) return;
      if (event.leaving) this.peers.delete(event.replica);
      else this.peers.set(event.replica, { agents: event.agents, capacity: event.capacity, heardAt: Date.now() });
    });
    this.report(false);
    this.last = { mine: this.opts.sockets.size, fleet: this.opts.sockets.size };
    this.tick = setInterval(() => this.round(), this.opts.intervalMs);
    this.tick.unref();
  }

  /** Whether this socket was closed to move its agent elsewhere. */
  wasMoved(socket: WebSocket): boolean {
    return this.moved.has(socket);
  }

  /** The end of a moved connection: recorded once its agent had time to say hello elsewhere. */
  endLater(ended: EndedConnection): void {
    this.awaiting.push({ ended, due: Date.now() + MOVE_GRACE_MS });
  }

  /** At shutdown: no more moves, peers told at once, and every end still awaiting recorded now. */
  async stop(): Promise<void> {
    clearInterval(this.tick);
    clearTimeout(this.closing);
    this.unsubscribe?.();
    if (this.opts.intervalMs > 0) this.report(true);
    await this.recordEnds(Infinity);
  }

  private report(leaving: boolean): void {
    this.opts.bus.publish({
      type: 'replica.load',
      replica: this.replica,
      agents: leaving ? 0 : this.opts.sockets.size,
      capacity: this.opts.capacity,
      leaving,
      at: new Date().toISOString(),
    });
  }

  private round(): void {
    this.report(false);
    const now = Date.now();
    void this.recordEnds(now);
    for (const [id, p] of this.peers) if (now - p.heardAt > STALE_INTERVALS * this.opts.intervalMs) this.peers.delete(id);
    const peers = [...this.peers.values()];
    const mine = this.opts.sockets.size;
    const fleet = peers.reduce((sum, p) => sum + p.agents, mine);
    // While agents still come back (a peer stopped, its agents fail over here, and those that
    // missed retry with backoff), none are moved: each move is a reconnect on top of the
    // storm, and measured at 20,000 agents moving during the storm's tail slowed the last
    // agents' return. The counts mean something once it is over.
    const gained = (count: number, before: number) => count - before > Math.max(TOLERANCE_AGENTS, count * GAINING_SHARE);
    const gaining = gained(mine, this.last.mine) || gained(fleet, this.last.fleet);
    this.last = { mine, fleet };
    const count = gaining ? 0 : agentsToMove(mine, peers);
    clearTimeout(this.closing);
    if (count === 0) return;
    this.opts.log.info(
      { agents: mine, replicas: peers.length + 1, fleet, moving: count },
      'this replica holds more than its share of agents: asking some to reconnect elsewhere',
    );
    // Spread over the interval, so that the moved agents' hellos do not arrive as a storm.
    const spacing = this.opts.intervalMs / count;
    let left = count;
    const candidates = this.opts.sockets.values();
    const next = () => {
      for (let s = candidates.next(); !s.done; s = candidates.next()) {
        const socket = s.value;
        if (socket.readyState !== socket.OPEN || this.opts.busy(socket)) continue;
        this.moved.add(socket);
        socket.close(CloseCode.rebalanced, 'this server holds more than its share of agents; reconnect');
        this.opts.onMove();
        if (--left > 0) {
          this.closing = setTimeout(next, spacing);
          this.closing.unref();
        }
        return;
      }
    };
    next();
  }

  private async recordEnds(now: number): Promise<void> {
    let n = 0;
    while (n < this.awaiting.length && this.awaiting[n]!.due <= now) n++;
    if (n === 0) return;
    const due = this.awaiting.splice(0, n).map((a) => a.ended);
    await this.opts.ended(due);
  }
}
