import { describe, expect, it } from 'vitest';
import type { Operator } from '../schema';
import { applyTransforms, compare, parseSeconds } from './operators';

const cases: [Operator, unknown, unknown, boolean][] = [
  ['eq', 'no', 'no', true],
  ['eq', 'No', 'no', false],
  ['eq', '4', 4, true],
  ['ne', 'yes', 'no', true],
  ['ne', undefined, 'no', false],
  ['in', 'no', ['no', 'prohibit-password'], true],
  ['in', 'yes', ['no'], false],
  ['in', null, ['ufw', null], true],
  ['not-in', 'yes', ['no'], true],
  ['not-in', undefined, ['no'], false],
  ['lt', 3, 4, true],
  ['le', '4', 4, true],
  ['gt', '5', 4, true],
  ['ge', 'abc', 4, false],
  ['matches', '027', '^0?[0-7][2367]7$', true],
  ['matches', '022', '^0?[0-7][2367]7$', false],
  ['not-matches', 'quiet', '^audit=', true],
  ['version-ge', '3.0.13', '3.0.0', true],
  ['version-lt', '1.1.1w', '3.0.0', true],
  ['version-eq', '1:1.0', '1:1.0', true],
  ['version-gt', '1.0~rc1', '1.0', false],
  ['version-le', '1.0', '1.0', true],
  ['mode-at-most', '0600', '0640', true],
  ['mode-at-most', '0640', '0640', true],
  ['mode-at-most', '0604', '0640', false],
  ['mode-at-most', '4755', '0755', false],
  ['mode-at-most', '0000', '0640', true],
  ['exists', 'x', undefined, true],
  ['exists', null, undefined, false],
  ['absent', undefined, undefined, true],
  ['absent', null, undefined, true],
  ['contains', ['rw', 'nodev'], 'nodev', true],
  ['contains', 'abc', 'b', true],
  ['not-contains', ['rw'], 'nodev', true],
  ['all-in', ['a', 'b'], ['a', 'b', 'c'], true],
  ['all-in', ['a', 'd'], ['a', 'b'], false],
  ['all-in', [], ['a'], true],
  ['none-in', ['aes128-ctr'], ['3des-cbc'], true],
  ['none-in', ['3des-cbc', 'aes128-ctr'], ['3des-cbc'], false],
  ['empty', [], undefined, true],
  ['empty', {}, undefined, true],
  ['empty', ['x'], undefined, false],
  ['not-empty', ['x'], undefined, true],
  ['not-empty', undefined, undefined, false],
];

describe('compare', () => {
  it.each(cases)('%s %j vs %j -> %s', (op, observed, expected, want) => {
    expect(compare(op, observed, expected, { scheme: 'deb' })).toBe(want);
  });
  it('ignores case when asked', () => {
    expect(compare('eq', 'YESCRYPT', 'yescrypt', { scheme: 'deb', ignoreCase: true })).toBe(true);
    expect(compare('in', 'INFO', ['info'], { scheme: 'deb', ignoreCase: true })).toBe(true);
  });
  it('uses rpm ordering for the rpm scheme', () => {
    expect(compare('version-gt', '1.0^git1', '1.0', { scheme: 'rpm' })).toBe(true);
  });
});

describe('transforms', () => {
  it.each([
    [['csv'], 'a, b,,c', ['a', 'b', 'c']],
    [['words'], 'LANG LC_*', ['LANG', 'LC_*']],
    [[{ split: ':' }, { index: 2 }], '10:30:60', '60'],
    [['seconds'], '1m30s', 90],
    [['seconds'], '300', 300],
    [['number'], '14', 14],
    [['lower'], 'SHA512', 'sha512'],
    [[{ pluck: 'uid' }, 'duplicates'], [{ uid: 0 }, { uid: 1 }, { uid: 0 }], [0]],
    [['keys'], { a: 1 }, ['a']],
    [['length'], [1, 2], 2],
  ] as const)('%j of %j', (t, input, want) => {
    expect(applyTransforms(input, t as never)).toEqual(want);
  });
  it('parses sshd time formats', () => {
    expect(parseSeconds('2h')).toBe(7200);
    expect(parseSeconds('bogus')).toBeUndefined();
  });
});
