import { EventEmitter } from 'node:events';
import type { LiveEvent } from '@plumbline/protocol/live';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/open';
import type { ReplicaLoad } from '../routes/agent/rebalance';

/**
 * Carries live events to dashboard clients. In one process an emitter suffices; on
 * PostgreSQL every replica also LISTENs on one channel, so an agent on replica A reaches a
 * dashboard on replica B. Each event is delivered once per process: NOTIFY echoes to the
 * sender too, so local events go out only through the database there.
 */
export interface LiveBus {
  publish(event: BusEvent): void;
  /** Many events in one round trip (on PostgreSQL, one statement). */
  publishMany(events: BusEvent[]): void;
  subscribe(fn: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * A dashboard credential stopped being valid: every replica closes the live sockets opened
 * with it. Server-internal, never sent to clients: `id` is an API key id, a session id, or
 * a user id (disabled: all their sessions).
 */
export interface CredentialsRevoked {
  type: 'credentials.revoked';
  kind: 'apikey' | 'session' | 'user';
  id: string;
  at: string;
}

export type BusEvent = LiveEvent | CredentialsRevoked | ReplicaLoad;

const CHANNEL = 'plumbline_live';

/**
 * For a process without a bus (the CLI): on PostgreSQL, tells every running replica. On
 * the embedded database no server can be running alongside, so there is no one to tell.
 */
export async function notifyReplicas(db: Database, event: BusEvent): Promise<void> {
  if (db.pool) await db.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
}

export function memoryBus(): LiveBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => void emitter.emit('event', event),
    publishMany: (events) => {
      for (const event of events) emitter.emit('event', event);
    },
    subscribe: (fn) => {
      emitter.on('event', fn);
      return () => emitter.off('event', fn);
    },
    close: async () => void emitter.removeAllListeners(),
  };
}

export async function postgresBus(pool: pg.Pool, log: Logger): Promise<LiveBus> {
  const local = memoryBus();
  let client: pg.PoolClient | null = null;
  let closed = false;

  const connect = async (): Promise<void> => {
    try {
      client = await pool.connect();
      client.on('notification', (msg) => {
        if (msg.channel !== CHANNEL || !msg.payload) return;
        try {
          local.publish(JSON.parse(msg.payload) as BusEvent);
        } catch (err) {
          log.warn({ err }, 'unreadable live notification');
        }
      });
      client.on('error', (err) => {
        log.warn({ err }, 'live listener lost its connection; reconnecting');
        client?.release(true);
        client = null;
        if (!closed) setTimeout(() => void connect(), 1000).unref();
      });
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      log.warn({ err }, 'live listener could not connect; retrying');
      client?.release(true);
      client = null;
      if (!closed) setTimeout(() => void connect(), 1000).unref();
    }
  };
  await connect();

  const outbox = new NotifyOutbox(pool, log);
  return {
    publish: (event) => outbox.push([JSON.stringify(event)]),
    publishMany: (events) => outbox.push(events.map((e) => JSON.stringify(e))),
    subscribe: local.subscribe,
    close: async () => {
      closed = true;
      // Events already published still go out: the pool closes after the bus.
      await outbox.drained();
      // The listening connection is closed, not pooled: a pooled one would go on LISTENing
      // for whoever takes it next, and report its end as a lost listener.
      const listener = client;
      client = null;
      if (listener) {
        listener
          .removeAllListeners('notification')
          .removeAllListeners('error')
          .on('error', () => {});
        listener.release(true);
      }
      await local.close();
    },
  };
}

/** Events per NOTIFY statement; and the most kept waiting while the database does not answer. */
const BATCH = 1000;
const MAX_WAITING = 50_000;

/**
 * Sends live events as batches, one statement at a time: what is published while a statement
 * is in flight goes out in the next one. An ingest publishes a host update and its drift
 * events together, and one query per event was a third of the server's round trips at
 * ingest rates, each holding a pooled connection the ingests were waiting for. Events
 * leave in the order they were published. (PostgreSQL delivers one copy of payloads that
 * are identical within a statement: an event repeated to the millisecond reaches clients once.)
 */
class NotifyOutbox {
  private waiting: string[] = [];
  private sending: Promise<void> | null = null;
  private dropped = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {}

  push(payloads: string[]): void {
    for (const p of payloads) this.waiting.push(p);
    if (this.waiting.length > MAX_WAITING) {
      // The database is not answering: live clients lose the oldest events, not the server its memory.
      const over = this.waiting.length - MAX_WAITING;
      this.waiting.splice(0, over);
      this.dropped += over;
    }
    this.sending ??= this.send();
  }

  /** Resolves once every event published so far has been sent (or given up on). */
  async drained(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async send(): Promise<void> {
    // The rest of this tick's events join the first statement.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, BATCH);
      try {
        await this.pool.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [CHANNEL, batch]);
      } catch (err) {
        this.log.warn({ err, events: batch.length }, 'live events not published');
      }
    }
    if (this.dropped) {
      this.log.warn({ events: this.dropped }, 'live events dropped while the database did not answer');
      this.dropped = 0;
    }
    this.sending = null;
  }
}
