import { describe, expect, it } from 'vitest';
import { formatRelative, formatValue } from './format';

const now = Date.parse('2026-11-22T12:00:00Z');

describe('formatRelative', () => {
  it.each([
    [null, 'never'],
    ['2026-11-22T11:59:55Z', 'just now'],
    ['2026-11-22T12:00:20Z', 'just now'], // slightly ahead of the coarse shared clock
  ])('%s -> %s', (iso, expected) => {
    expect(formatRelative(iso, now)).toBe(expected);
  });

  it('uses the largest fitting unit', () => {
    expect(formatRelative('2026-11-22T11:55:00Z', now)).toMatch(/5/);
    expect(formatRelative('2026-11-20T12:00:00Z', now)).toMatch(/2|day/);
  });
});

describe('formatValue', () => {
  it('keeps strings and serialises everything else', () => {
    expect(formatValue('no')).toBe('no');
    expect(formatValue(['a', 1])).toBe('["a",1]');
    expect(formatValue(undefined)).toBe('—');
  });
});
