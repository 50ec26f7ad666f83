import { describe, expect, it } from 'vitest';
import { globComponentMatches } from './glob';
import { compareBytes } from './order';

describe('globComponentMatches', () => {
  it.each([
    ['*.conf', 'a.conf', true],
    ['*.conf', 'a.conf.bak', false],
    ['*.conf', '.hidden.conf', false],
    ['.*.conf', '.hidden.conf', true],
    ['?0-*.conf', '10-site.conf', true],
    ['[0-4]*', '3x', true],
    ['[!0-4]*', '3x', false],
    ['[^a]b', 'cb', true],
    ['a[', 'a[', true],
    ['a.b', 'axb', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
  ])('%s vs %s -> %s', (pattern, name, want) => {
    expect(globComponentMatches(pattern, name)).toBe(want);
  });

  it('orders upper case before lower case, as the C locale does', () => {
    expect(['b', 'a', 'B', '_'].sort(compareBytes)).toEqual(['B', '_', 'a', 'b']);
  });
});
