import { describe, expect, it } from 'vitest';
import { createLiveEventParser } from './parse-live-event';

const updated = {
  type: 'host.updated',
  hostId: 'h1',
  hostname: 'web-1',
  created: false,
  lastSeenAt: '2026-01-01T00:00:00.000Z',
  changed: ['sshd_config'],
  score: 80,
  at: '2026-01-01T00:00:00.000Z',
};

describe('live event parser', () => {
  it('accepts the events of the protocol', () => {
    const parse = createLiveEventParser();
    expect(parse(JSON.stringify(updated))).toEqual(updated);
    expect(parse(JSON.stringify({ type: 'host.online', hostId: 'h1', online: false, at: 'x' }))).toMatchObject({
      type: 'host.online',
      online: false,
    });
    expect(parse.dropped()).toBe(0);
  });

  it('drops and counts what the protocol does not describe, without throwing', () => {
    const parse = createLiveEventParser();
    const bad = [
      'not json',
      new ArrayBuffer(2),
      JSON.stringify(null),
      JSON.stringify({ type: 'host.updated', hostId: 'h1' }),
      JSON.stringify({ type: 'drift', hostId: 7 }),
      JSON.stringify({ type: 'unknown', hostId: 'h1' }),
    ];
    for (const data of bad) expect(parse(data)).toBeNull();
    expect(parse.dropped()).toBe(bad.length);
  });
});
