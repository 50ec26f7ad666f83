import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { isPlainKey, mergeSysctl, normalizeSysctlKey, parseSysctlConf, procSysPath } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

describe('parseSysctlConf', () => {
  it.each([
    ['net.ipv4.ip_forward = 1', [{ key: 'net.ipv4.ip_forward', value: '1', line: 1 }]],
    ['net.ipv4.ip_forward=0', [{ key: 'net.ipv4.ip_forward', value: '0', line: 1 }]],
    ['net/ipv4/conf/all/rp_filter = 1', [{ key: 'net.ipv4.conf.all.rp_filter', value: '1', line: 1 }]],
    ['-net.ipv6.conf.all.accept_ra = 0', [{ key: 'net.ipv6.conf.all.accept_ra', value: '0', line: 1 }]],
    ['net.ipv4.conf.*.rp_filter = 2', [{ key: 'net.ipv4.conf.*.rp_filter', value: '2', line: 1 }]],
    ['net.ipv4.tcp_rmem = 4096\t87380   6291456', [{ key: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456', line: 1 }]],
    ['# c\n; c\n\n  kernel.sysrq=0  \r', [{ key: 'kernel.sysrq', value: '0', line: 4 }]],
    ['-net.ipv4.conf.all.rp_filter', []],
  ])('%j', (text, want) => {
    expect(parseSysctlConf(text)).toEqual({ assignments: want, warnings: [] });
  });

  it('warns about lines it cannot read', () => {
    expect(parseSysctlConf('kernel.sysrq\n= 1\n').warnings).toEqual(['line 1: no \'=\' in "kernel.sysrq"', 'line 2: empty key']);
  });
});

describe('sysctl keys', () => {
  it.each([
    ['net.ipv4.ip_forward', 'net.ipv4.ip_forward', '/proc/sys/net/ipv4/ip_forward'],
    ['net/ipv4/ip_forward', 'net.ipv4.ip_forward', '/proc/sys/net/ipv4/ip_forward'],
    ['net/ipv4/conf/eth0.1/rp_filter', 'net.ipv4.conf.eth0/1.rp_filter', '/proc/sys/net/ipv4/conf/eth0.1/rp_filter'],
  ])('%s -> %s -> %s', (raw, key, proc) => {
    expect(normalizeSysctlKey(raw)).toBe(key);
    expect(procSysPath(key)).toBe(proc);
  });

  it.each([
    ['kernel.sysrq', true],
    ['net.ipv4.conf.*.rp_filter', false],
    ['..etc.shadow', false],
    ['kernel..sysrq', false],
    [normalizeSysctlKey('../../../etc/shadow'), false],
  ])('%s may be read from /proc/sys: %s', (key, want) => {
    expect(isPlainKey(key)).toBe(want);
  });
});

describe('mergeSysctl', () => {
  it('lets the last assignment win and keeps the earlier ones as overridden', () => {
    const merged = mergeSysctl([
      { file: '/usr/lib/sysctl.d/50-a.conf', assignments: [{ key: 'k', value: '1', line: 3 }] },
      {
        file: '/etc/sysctl.d/60-b.conf',
        assignments: [
          { key: 'k', value: '2', line: 1 },
          { key: 'k', value: '3', line: 9 },
        ],
      },
    ]);
    expect(merged.k).toEqual({
      value: '3',
      file: '/etc/sysctl.d/60-b.conf',
      line: 9,
      overridden: [
        { file: '/usr/lib/sysctl.d/50-a.conf', line: 3, value: '1' },
        { file: '/etc/sysctl.d/60-b.conf', line: 1, value: '2' },
      ],
    });
  });
});

describe('sysctl collector', () => {
  it('masks a same-named vendor file completely and applies /etc/sysctl.conf last', async () => {
    await withTree(
      {
        'usr/lib/sysctl.d/50-default.conf': 'net.ipv4.conf.all.send_redirects = 1\nnet.ipv4.ip_forward=1\n',
        'etc/sysctl.d/50-default.conf': 'net.ipv4.ip_forward = 0\n',
        'etc/sysctl.d/99-hardening.conf': 'net.ipv4.conf.all.send_redirects=0\n',
        'run/sysctl.d/70-run.conf': 'kernel.sysrq = 1\n',
        'etc/sysctl.conf': 'kernel.sysrq = 0\n',
      },
      async (root) => {
        const fact = await collect(rootContext(root));
        expect(fact.persisted['net.ipv4.ip_forward']).toEqual({
          value: '0',
          file: '/etc/sysctl.d/50-default.conf',
          line: 1,
          overridden: [],
        });
        expect(fact.persisted['net.ipv4.conf.all.send_redirects']).toEqual({
          value: '0',
          file: '/etc/sysctl.d/99-hardening.conf',
          line: 1,
          overridden: [],
        });
        expect(JSON.stringify(fact.persisted)).not.toContain('/usr/lib/sysctl.d');
        expect(fact.persisted['kernel.sysrq']).toMatchObject({ value: '0', file: '/etc/sysctl.conf', overridden: [{ value: '1' }] });
        expect(fact.masked_files).toEqual([{ file: '/usr/lib/sysctl.d/50-default.conf', masked_by: '/etc/sysctl.d/50-default.conf' }]);
        expect(fact.files).toEqual([
          '/etc/sysctl.d/50-default.conf',
          '/run/sysctl.d/70-run.conf',
          '/etc/sysctl.d/99-hardening.conf',
          '/etc/sysctl.conf',
        ]);
        expect(fact.runtime).toBeNull();
      },
    );
  });

  it('reads the hardened Debian tree: /dev/null mask, slash keys, runtime from the tree /proc/sys', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.persisted['fs.protected_symlinks']).toBeUndefined(); // 99-protect-links.conf -> /dev/null
    expect(fact.persisted['kernel.sysrq']).toBeUndefined(); // only in the masked vendor file
    expect(fact.persisted['net.ipv4.conf.all.rp_filter']?.value).toBe('1');
    // 99-sysctl.conf links to /etc/sysctl.conf; it is applied once, not twice.
    expect(fact.files.filter((f) => f.endsWith('sysctl.conf'))).toEqual(['/etc/sysctl.d/99-sysctl.conf']);
    expect(fact.runtime?.['net.ipv4.ip_forward']).toEqual({ value: '0', source: '/proc/sys/net/ipv4/ip_forward' });
  });

  it('keeps glob keys as written and ignores exclusion lines (RHEL)', async () => {
    const fact = await collect(rootContext(fixtureRoot('rhel9')));
    expect(fact.persisted['net.ipv4.conf.*.rp_filter']?.value).toBe('2');
    expect(fact.persisted['net.ipv4.conf.all.rp_filter']).toBeUndefined();
    expect(fact.warnings).toEqual([]);
  });
});
