import { describe, expect, it } from 'vitest';
import { compareDebVersions, compareRpmVersions, rpmvercmp } from './versions';

const sign = (n: number) => Math.sign(n);

// Expected values as `dpkg --compare-versions` orders them.
const deb: [string, string, number][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.1', -1],
  ['1.10', '1.9', 1],
  ['1:1.0', '2.0', 1],
  ['0:1.0', '1.0', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0', '1.0+b1', -1],
  ['1.0-1', '1.0-2', -1],
  ['1.0-1', '1.0', 1],
  ['1.0a', '1.0', 1],
  ['1.0a', '1.0+', -1],
  ['1:9.2p1-2+deb12u3', '1:9.2p1-2+deb12u2', 1],
  ['3.0.11-1~deb12u2', '3.0.11-1', -1],
  ['2.4.0', '2.4.0-0ubuntu1', -1],
  ['1.001', '1.1', 0],
];

const rpm: [string, string, number][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.1', -1],
  ['1.10', '1.9', 1],
  ['1.0~rc1', '1.0', -1],
  ['1.0^git1', '1.0', 1],
  ['1.0^git1', '1.0.1', -1],
  ['1.0a', '1.0', 1],
  ['1.0', '1.0a', -1],
  ['2.0.1a', '2.0.1', 1],
  ['5.5p1', '5.5p10', -1],
  ['1.0.0', '1.0', 1],
  ['a', '1', -1],
  ['1.001', '1.1', 0],
  ['1_0', '1.0', 0],
];

describe('dpkg version ordering', () => {
  it.each(deb)('%s vs %s -> %i', (a, b, want) => {
    expect(sign(compareDebVersions(a, b))).toBe(want);
    expect(sign(compareDebVersions(b, a))).toBe(want === 0 ? 0 : -want);
  });
});

describe('rpmvercmp', () => {
  it.each(rpm)('%s vs %s -> %i', (a, b, want) => {
    expect(rpmvercmp(a, b)).toBe(want);
    expect(rpmvercmp(b, a)).toBe(want === 0 ? 0 : -want);
  });
  it('compares epoch, then version, then release', () => {
    expect(compareRpmVersions('1:1.0-1', '2.0-1')).toBe(1);
    expect(compareRpmVersions('3.0.7-24.el9', '3.0.7-27.el9')).toBe(-1);
    expect(compareRpmVersions('3.0.7', '3.0.7-27.el9')).toBe(0);
  });
});
