import { describe, expect, it } from 'vitest';
import { findSocketOwners, FULL_SEARCH_EVERY_MS, type OwnerSearch, type SocketPlace } from './read-owners';
import { fixtureRoot } from '../../../test/support/host-trees';

// edge-mqtt: mosquitto (pid 812) listens on 60000-60003 and 60010-60013; its child (pid 900)
// holds 60000 too; 640 holds a client connection (60100) and a connected UDP socket (60101).
const root = fixtureRoot('edge-mqtt');
const BROKER = [60000, 60001, 60002, 60003, 60010, 60011, 60012, 60013];
const NOW = Date.parse('2026-12-07T12:00:00Z');
const from = (places: [number, SocketPlace][], unowned: OwnerSearch['unowned'] = null): OwnerSearch => ({
  places: new Map(places),
  unowned,
});

describe('findSocketOwners', () => {
  it('finds the lowest pid holding each socket, and where', async () => {
    const { owners, search } = await findSocketOwners(root, new Set(BROKER));
    expect(new Set([...owners.values()].map((o) => `${o.pid} ${o.process} ${o.executable} ${o.unit}`))).toEqual(
      new Set(['812 mosquitto /usr/sbin/mosquitto mosquitto.service']),
    );
    expect(search.places.get(60000)).toEqual([812, 3]);
    expect(search.places.get(60013)).toEqual([812, 10]);
    expect(search.unowned).toBeNull();
  });

  it('gives the same answer from what it found before', async () => {
    const first = await findSocketOwners(root, new Set(BROKER));
    const again = await findSocketOwners(root, new Set(BROKER), first.search);
    expect(again.owners).toEqual(first.owners);
    expect(again.search).toEqual(first.search);
  });

  it('keeps an owner found before while that descriptor still holds the socket', async () => {
    // The child shares the listener: it stays the owner rather than flipping with the search order.
    const { owners } = await findSocketOwners(root, new Set([60000, 60001]), from([[60000, [900, 3]]]));
    expect(owners.get(60000)?.pid).toBe(900);
    expect(owners.get(60001)?.pid).toBe(812);
  });

  it('searches again for a socket whose kept place no longer holds it', async () => {
    const stale = from([
      [60001, [900, 3]], // the child's descriptor 3 is another socket
      [60002, [812, 9]], // the broker's descriptor 9 is another socket
      [60003, [4242, 3]], // no such process
      [60010, [812, 99]], // no such descriptor
    ]);
    const { owners, search } = await findSocketOwners(root, new Set([60001, 60002, 60003, 60010]), stale);
    expect([...owners.values()].map((o) => o.pid)).toEqual([812, 812, 812, 812]);
    expect(search.places).toEqual(
      new Map([
        [60001, [812, 4]],
        [60002, [812, 5]],
        [60003, [812, 6]],
        [60010, [812, 7]],
      ]),
    );
  });

  it('remembers a socket nobody holds, and the processes searched for it', async () => {
    const { owners, search } = await findSocketOwners(root, new Set([60000, 12345]), null, NOW);
    expect(owners.has(12345)).toBe(false);
    expect(owners.get(60000)?.pid).toBe(812);
    expect(search.unowned).toEqual({ inodes: [12345], pids: [640, 812, 900], fullSearchAt: NOW });
  });

  it('searches for a socket nobody held only in new processes, and in all of them every ten minutes', async () => {
    // As if 60001 had been held by nobody when 640 and 812 were searched (900 is new): 812 is not searched again...
    const unowned = { inodes: [60001], pids: [640, 812], fullSearchAt: NOW - 60_000 };
    const skipped = await findSocketOwners(root, new Set([60001]), from([], unowned), NOW);
    expect(skipped.owners.size).toBe(0);
    expect(skipped.search.unowned).toEqual({ inodes: [60001], pids: [640, 812, 900], fullSearchAt: NOW - 60_000 });
    // ...but a process that is new since is (900 holds 60000)...
    const fresh = await findSocketOwners(root, new Set([60000]), from([], { ...unowned, inodes: [60000] }), NOW);
    expect(fresh.owners.get(60000)?.pid).toBe(900);
    // ...and every process is, once the last full search is ten minutes old, or another socket is new.
    const due = await findSocketOwners(root, new Set([60001]), from([], { ...unowned, fullSearchAt: NOW - FULL_SEARCH_EVERY_MS }), NOW);
    expect(due.owners.get(60001)?.pid).toBe(812);
    expect(due.search.unowned).toBeNull();
    const other = await findSocketOwners(root, new Set([60001, 60002]), from([], unowned), NOW);
    expect([other.owners.get(60001)?.pid, other.owners.get(60002)?.pid]).toEqual([812, 812]);
  });
});
