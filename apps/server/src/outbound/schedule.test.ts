import { describe, expect, it } from 'vitest';
import { nextRunAfter } from './schedule';

describe('nextRunAfter', () => {
  it.each([
    ['daily, later today', { cadence: 'daily', weekday: null, hour: 6 }, '2026-06-30T03:15:00Z', '2026-06-30T06:00:00.000Z'],
    ['daily, already past today', { cadence: 'daily', weekday: null, hour: 6 }, '2026-06-30T06:00:00Z', '2026-07-01T06:00:00.000Z'],
    ['daily, across a month end', { cadence: 'daily', weekday: null, hour: 0 }, '2026-06-30T23:59:00Z', '2026-07-01T00:00:00.000Z'],
    // 2026-06-30 is a Tuesday (2).
    ['weekly, same day later', { cadence: 'weekly', weekday: 2, hour: 9 }, '2026-06-30T08:00:00Z', '2026-06-30T09:00:00.000Z'],
    ['weekly, next week', { cadence: 'weekly', weekday: 2, hour: 9 }, '2026-06-30T09:30:00Z', '2026-07-07T09:00:00.000Z'],
    ['weekly, Sunday', { cadence: 'weekly', weekday: 0, hour: 23 }, '2026-06-30T09:30:00Z', '2026-07-05T23:00:00.000Z'],
  ])('%s', (_name, s, after, expected) => {
    expect(nextRunAfter(s, new Date(after)).toISOString()).toBe(expected);
  });
});
