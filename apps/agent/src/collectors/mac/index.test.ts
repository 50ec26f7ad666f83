import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { countLoadedProfiles, profileFileMode } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';
import { cases } from '../../../test/support/cases';

describe('AppArmor parsing', () => {
  it('counts loaded profiles by mode', () => {
    expect(countLoadedProfiles('/usr/sbin/chronyd (enforce)\nman_groff (enforce)\nfirefox (unconfined)\nx (complain)\n')).toEqual({
      complain: 1,
      enforce: 2,
      unconfined: 1,
    });
  });

  cases(profileFileMode, [
    ['profile a /bin/a flags=(attach_disconnected) {', 'enforce'],
    ['/usr/bin/man flags=(complain) {', 'complain'],
    ['profile f flags=(unconfined) {', 'unconfined'],
    ['profile a {}\nprofile b flags=(attach_disconnected, complain) {}', 'complain'],
  ]);
});

describe('mac collector', () => {
  it('counts profile files with disable/ and flags, and reads GRUB (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.apparmor).toEqual({
      installed: true,
      enabled: null,
      loaded_profiles: null,
      profile_files: { complain: 1, disabled: 1, enforce: 2 },
      kernel_param: '1',
    });
    expect(fact.kernel_cmdline).toEqual({
      source: '/etc/default/grub',
      files: ['/etc/default/grub'],
      args: ['apparmor=1', 'security=apparmor', 'audit=1', 'audit_backlog_limit=8192', 'quiet'],
    });
  });

  it('applies grub.d/*.cfg after /etc/default/grub and force-complain links (Ubuntu 22.04)', async () => {
    const fact = await collect(rootContext(fixtureRoot('ubuntu-2204')));
    expect(fact.kernel_cmdline.args).toEqual(['apparmor=1', 'security=apparmor', 'console=tty1', 'console=ttyS0']);
    expect(fact.apparmor.profile_files).toEqual({ complain: 1, enforce: 6 });
  });

  it('reads SELinux config with lines (RHEL)', async () => {
    const fact = await collect(rootContext(fixtureRoot('rhel9')));
    expect(fact.selinux).toEqual({
      config_file: '/etc/selinux/config',
      mode: 'enforcing',
      mode_line: 22,
      policy_type: 'targeted',
      policy_type_line: 27,
      runtime_mode: null,
      kernel_param: null,
      enforcing_param: null,
    });
    expect(fact.apparmor.installed).toBe(false);
  });

  it('prefers a proc/cmdline snapshot in the tree', async () => {
    await withTree(
      { 'proc/cmdline': 'BOOT_IMAGE=/vmlinuz selinux=0 enforcing=0\n', 'etc/default/grub': 'GRUB_CMDLINE_LINUX="x"\n' },
      async (root) => {
        const fact = await collect(rootContext(root));
        expect(fact.kernel_cmdline).toEqual({
          source: '/proc/cmdline',
          files: ['/proc/cmdline'],
          args: ['BOOT_IMAGE=/vmlinuz', 'selinux=0', 'enforcing=0'],
        });
        expect(fact.selinux).toMatchObject({ config_file: null, kernel_param: '0', enforcing_param: '0' });
      },
    );
  });
});
