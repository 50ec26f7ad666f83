import { EventEmitter } from 'node:events';
import type { LiveEvent } from '@plumbline/protocol/live';
import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * Carries live events to dashboard clients. In one process an emitter suffices; on
 * PostgreSQL every replica also LISTENs on one channel, so an agent on replica A reaches a
 * dashboard on replica B. Each event is delivered once per process: NOTIFY echoes to the
 * sender too, so local events go out only through the database there.
 */
export interface LiveBus {
  publish(event: LiveEvent): void;
  subscribe(fn: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'plumbline_live';

export function memoryBus(): LiveBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => void emitter.emit('event', event),
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
          local.publish(JSON.parse(msg.payload) as LiveEvent);
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
    subscribe: local.subscribe,
    close: async () => {
      closed = true;
      client?.release();
      client = null;
      await local.close();
    },
  };
}
