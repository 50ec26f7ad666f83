import { EventEmitter } from 'node:events';
import type { LiveEvent } from '@plumbline/protocol/live';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/open';

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

export type BusEvent = LiveEvent | CredentialsRevoked;

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

  return {
    publish: (event) => {
      pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]).catch((err: unknown) => {
        log.warn({ err }, 'live event not published');
      });
    },
    publishMany: (events) => {
      if (!events.length) return;
      const payloads = events.map((e) => JSON.stringify(e));
      pool.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [CHANNEL, payloads]).catch((err: unknown) => {
        log.warn({ err, events: events.length }, 'live events not published');
      });
    },
    subscribe: local.subscribe,
    close: async () => {
      closed = true;
      client?.release();
      client = null;
      await local.close();
    },
  };
}
