import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { describePath, mountUnitOptions, parseMountTable } from './parse';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('parseMountTable', () => {
  it('splits options, unescapes octal blanks and skips comments', () => {
    expect(parseMountTable('# c\n/dev/sda1 /mnt/my\\040disk ext4 rw,nosuid 0 2\ntmpfs /tmp tmpfs\n', '/etc/fstab')).toEqual([
      {
        device: '/dev/sda1',
        mount_point: '/mnt/my disk',
        fstype: 'ext4',
        options: ['rw', 'nosuid'],
        file: '/etc/fstab',
        line: 2,
        dump: 0,
        pass: 2,
      },
      { device: 'tmpfs', mount_point: '/tmp', fstype: 'tmpfs', options: ['defaults'], file: '/etc/fstab', line: 3, dump: 0, pass: 0 },
    ]);
  });

  it('reads Options= of a mount unit', () => {
    expect(mountUnitOptions('[Unit]\nOptions=x\n[Mount]\nOptions=mode=1777,nosuid\n')).toEqual(['mode=1777', 'nosuid']);
  });
});

describe('describePath', () => {
  const fstab = parseMountTable('/a /var ext4 defaults 0 2\n/srv /home none bind 0 0\n/b /var/tmp ext4 noauto 0 0\n', '/etc/fstab');
  it.each([
    ['/var', { mounted: true, separate_partition: true, source: 'fstab', line: 1 }],
    ['/home', { mounted: true, separate_partition: false, source: 'fstab' }],
    ['/var/tmp', { mounted: false, source: 'fstab' }],
    ['/var/log', { mounted: false, source: null }],
    ['/dev/shm', { mounted: true, source: 'default', options: ['rw', 'nosuid', 'nodev'] }],
  ])('%s', (p, want) => {
    expect(describePath(p, null, fstab, null)).toMatchObject(want);
  });

  it('lets /proc/mounts win over fstab when it is there', () => {
    expect(describePath('/var', [], fstab, null)).toMatchObject({ mounted: false, source: null });
  });
});

describe('mounts collector', () => {
  it('uses the proc/mounts snapshot (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.paths['/tmp']).toEqual({
      mounted: true,
      separate_partition: true,
      fstype: 'tmpfs',
      options: ['rw', 'nosuid', 'nodev', 'noexec', 'relatime', 'size=2097152k', 'inode64'],
      source: 'proc',
      file: '/proc/mounts',
      line: 15,
    });
    expect(fact.paths['/var']?.options).not.toContain('noexec');
    expect(fact.fstab.find((e) => e.mount_point === '/mnt/share')).toMatchObject({ device: '/srv/share files', options: ['bind'] });
  });

  it('falls back to fstab, then to a vendor-enabled tmp.mount (edge, Ubuntu 24.04, RHEL)', async () => {
    expect((await collect(rootContext(fixtureRoot('edge-mqtt')))).paths['/var/log']).toMatchObject({
      mounted: true,
      fstype: 'tmpfs',
      source: 'fstab',
      line: 5,
    });
    const u = await collect(rootContext(fixtureRoot('ubuntu-2404')));
    expect(u.mounted).toBeNull();
    expect(u.paths['/tmp']).toMatchObject({
      mounted: true,
      source: 'tmp.mount',
      options: expect.arrayContaining(['nosuid', 'nodev']) as string[],
    });
    const rhel = await collect(rootContext(fixtureRoot('rhel9')));
    expect(rhel.tmp_mount).toMatchObject({ enabled_state: 'static', wanted_by_vendor: false });
    expect(rhel.paths['/tmp']?.mounted).toBe(false);
  });
});
