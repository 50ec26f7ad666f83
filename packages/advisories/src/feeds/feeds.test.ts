import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../types';
import { cvssBaseScore } from './cvss';
import { parseFeed } from './index';

const sample = (name: string) => readFileSync(new URL(`../../samples/${name}`, import.meta.url));

const fails = (data: Uint8Array | string, code: FeedError['code']) => {
  try {
    parseFeed(data);
  } catch (e) {
    expect(e).toBeInstanceOf(FeedError);
    expect((e as FeedError).code).toBe(code);
    return (e as FeedError).message;
  }
  throw new Error('parsed');
};

describe('parseFeed: every shipped sample, kind from the content', () => {
  it('Debian tracker JSON: per source package, CVE and release; fixed_version 0 is not affected', () => {
    const f = parseFeed(sample('debian-tracker.json'));
    if (f.kind !== 'debian-tracker') throw new Error(f.kind);
    expect(f.advisories).toContainEqual({
      distro: 'debian',
      release: 'bookworm',
      package: 'openssh',
      cve: 'CVE-2023-48795',
      status: 'fixed',
      fixedVersion: '1:9.2p1-2+deb12u2',
      severity: 'medium',
    });
    expect(f.advisories.find((a) => a.cve === 'CVE-2024-6387' && a.release === 'bullseye')).toMatchObject({
      status: 'not_affected',
      fixedVersion: null,
    });
    expect(f.advisories.find((a) => a.cve === 'CVE-2023-51767')).toMatchObject({
      status: 'open',
      fixedVersion: null,
      severity: 'unimportant',
    });
    expect(f.advisories.find((a) => a.cve.startsWith('TEMP-'))).toMatchObject({ status: 'open' });
    expect(f.cves.find((c) => c.cve === 'CVE-2024-1086')?.description).toMatch(/nf_tables/);
  });

  it('Ubuntu OSV: the release from the purl or the ecosystem, CVSS from the vector, Pro streams left out', () => {
    const f = parseFeed(sample('ubuntu-osv.json'));
    if (f.kind !== 'ubuntu-osv') throw new Error(f.kind);
    expect(f.advisories).toEqual([
      {
        distro: 'ubuntu',
        release: 'jammy',
        package: 'openssh',
        cve: 'CVE-2023-48795',
        status: 'fixed',
        fixedVersion: '1:8.9p1-3ubuntu0.6',
        severity: 'medium',
      },
      {
        distro: 'ubuntu',
        release: 'focal',
        package: 'openssh',
        cve: 'CVE-2023-48795',
        status: 'fixed',
        fixedVersion: '1:8.2p1-4ubuntu0.10',
        severity: 'medium',
      },
      {
        distro: 'ubuntu',
        release: 'noble',
        package: 'libssh',
        cve: 'CVE-2023-48795',
        status: 'open',
        fixedVersion: null,
        severity: 'medium',
      },
    ]);
    expect(f.cves[0]).toMatchObject({ cve: 'CVE-2023-48795', cvss: 5.9 });
    expect(f.version).toBe('2024-09-12T10:30:00Z');
  });

  it('Red Hat CSAF VEX: fixed source rpm of the main stream per release, EUS streams apart, known_affected open', () => {
    const f = parseFeed(sample('redhat-csaf-vex.json'));
    if (f.kind !== 'redhat-csaf') throw new Error(f.kind);
    expect(f.advisories).toEqual([
      { distro: 'rhel', release: 'el8', package: 'openssl', cve: 'CVE-2023-5678', status: 'open', fixedVersion: null, severity: 'Low' },
      {
        distro: 'rhel',
        release: 'el9',
        package: 'openssl',
        cve: 'CVE-2023-5678',
        status: 'fixed',
        fixedVersion: '1:3.0.7-27.el9',
        severity: 'Low',
      },
    ]);
    expect(f.cves).toEqual([expect.objectContaining({ cve: 'CVE-2023-5678', cvss: 5.3 })]);
  });

  it('EPSS CSV, also gzipped as FIRST serves it', () => {
    for (const data of [sample('epss.csv'), gzipSync(sample('epss.csv'))]) {
      const f = parseFeed(data);
      if (f.kind !== 'epss') throw new Error(f.kind);
      expect(f.version).toBe('2025-06-01T12:55:00Z');
      expect(f.scores).toContainEqual({ cve: 'CVE-2024-1086', epss: 0.8177, percentile: 0.99202 });
    }
  });

  it('CISA KEV JSON', () => {
    const f = parseFeed(sample('kev.json'));
    if (f.kind !== 'kev') throw new Error(f.kind);
    expect(f.version).toBe('2025.06.02');
    expect(f.entries.map((e) => e.cve)).toEqual(['CVE-2021-44228', 'CVE-2024-1086']);
    expect(f.entries[1]).toMatchObject({ dueDate: '2024-06-20', ransomware: true });
  });
});

describe('parseFeed: cut and malformed feeds are refused whole', () => {
  it.each(['debian-tracker.json', 'ubuntu-osv.json', 'redhat-csaf-vex.json', 'kev.json'])('%s cut short is truncated', (name) => {
    const whole = sample(name);
    for (const at of [1, 300, whole.length - 3]) fails(whole.subarray(0, at), 'PLUMBLINE_ERR_FEED_TRUNCATED');
  });

  it('a cut EPSS CSV or gzip stream is truncated', () => {
    const csv = sample('epss.csv');
    fails(csv.subarray(0, csv.length - 5), 'PLUMBLINE_ERR_FEED_TRUNCATED');
    const gz = gzipSync(csv);
    fails(gz.subarray(0, gz.length - 10), 'PLUMBLINE_ERR_FEED_TRUNCATED');
  });

  it('a KEV catalog with fewer entries than its count is truncated', () => {
    const kev = JSON.parse(sample('kev.json').toString());
    kev.vulnerabilities.pop();
    expect(fails(JSON.stringify(kev), 'PLUMBLINE_ERR_FEED_TRUNCATED')).toMatch(/count says 2/);
  });

  it.each([
    [
      'a tracker release without a status',
      '{"openssl":{"CVE-1":{"releases":{"bookworm":{"fixed_version":"1"}}}}}',
      'PLUMBLINE_ERR_FEED_MALFORMED',
    ],
    ['an EPSS row out of range', 'cve,epss,percentile\nCVE-2024-1,1.5,0.2\n', 'PLUMBLINE_ERR_FEED_MALFORMED'],
    ['a KEV entry without a CVE id', '{"catalogVersion":"1","count":1,"vulnerabilities":[{"cveID":"x"}]}', 'PLUMBLINE_ERR_FEED_MALFORMED'],
    ['unknown JSON', '{"hello":"world"}', 'PLUMBLINE_ERR_FEED_UNKNOWN'],
    ['not JSON at all', 'hello', 'PLUMBLINE_ERR_FEED_UNKNOWN'],
    ['an empty file', '', 'PLUMBLINE_ERR_FEED_TRUNCATED'],
    ['broken JSON in the middle', '{"a": {"b": ]}, "c": 1}', 'PLUMBLINE_ERR_FEED_MALFORMED'],
  ] as const)('%s', (_, text, code) => {
    fails(text, code);
  });
});

describe('cvssBaseScore', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N', 5.9],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:N/AC:L', null],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', null],
  ])('%s -> %s', (vector, score) => {
    expect(cvssBaseScore(vector)).toBe(score);
  });
});
