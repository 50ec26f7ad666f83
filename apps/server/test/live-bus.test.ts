import type { LiveEvent } from '@plumbline/protocol/live';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open';
import { postgresBus, type BusEvent } from '../src/live/bus';
import { freshDatabase, onPostgres } from './helper';

/** The live bus across replicas on PostgreSQL: two buses on one database stand for two server processes. */
describe.runIf(onPostgres)('the PostgreSQL live bus', () => {
  const log = pino({ level: 'silent' });
  let tdb: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Database;

  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const online = (i: number): LiveEvent => ({
    type: 'host.online',
    hostId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    online: i % 2 === 0,
    at: new Date(1_700_000_000_000 + i).toISOString(),
  });
  const hostIdsOf = (events: BusEvent[]) => events.map((e) => (e.type === 'host.online' ? e.hostId : e.type));

  it('delivers events to the other replica in the order they were published, including those published just before close', async () => {
    tdb = await freshDatabase();
    db = await tdb.open();
    const sender = await postgresBus(db.pool!, log);
    const receiver = await postgresBus(db.pool!, log);
    const got: BusEvent[] = [];
    receiver.subscribe((e) => got.push(e));

    const sent: LiveEvent[] = [];
    // One tick's worth, more than one statement's batch, then a few more in later ticks.
    for (let i = 0; i < 1500; i++) sent.push(online(i));
    for (const e of sent) sender.publish(e);
    await new Promise((r) => setImmediate(r));
    const later = [online(1500), online(1501)];
    sender.publishMany(later);
    sent.push(...later);
    const last = online(1502);
    sender.publish(last);
    sent.push(last);
    // Closing right after publishing loses nothing: close waits for what is queued.
    await sender.close();

    const deadline = Date.now() + 10_000;
    while (got.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got.length).toBe(sent.length);
    expect(hostIdsOf(got)).toEqual(hostIdsOf(sent));
    expect(got[3]).toEqual(sent[3]);
    await receiver.close();
  }, 30_000);
});
