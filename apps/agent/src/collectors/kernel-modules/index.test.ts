import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { mergeModprobe, parseModprobeConf, parseProcModules } from './parse';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('parseModprobeConf', () => {
  it.each([
    ['install cramfs /bin/false', [{ kind: 'install', module: 'cramfs', command: '/bin/false', line: 1 }]],
    ['install usb-storage /bin/true', [{ kind: 'install', module: 'usb_storage', command: '/bin/true', line: 1 }]],
    ['blacklist udf', [{ kind: 'blacklist', module: 'udf', command: null, line: 1 }]],
    ['# install x /bin/false\n\noptions loop max_loop=8\nalias foo bar', []],
    [
      'install a \\\n  /sbin/modprobe --ignore-install a',
      [{ kind: 'install', module: 'a', command: '/sbin/modprobe --ignore-install a', line: 1 }],
    ],
    ['install lonely', []],
  ])('%j', (text, want) => {
    expect(parseModprobeConf(text)).toEqual(want);
  });
});

describe('mergeModprobe', () => {
  it('keeps the first install command and any blacklist, and says whether the module is disabled', () => {
    const merged = mergeModprobe([
      {
        file: '/etc/modprobe.d/a.conf',
        directives: parseModprobeConf(
          'blacklist usb-storage\ninstall usb_storage /usr/bin/false\ninstall dccp /sbin/modprobe --ignore-install dccp',
        ),
      },
      { file: '/etc/modprobe.d/b.conf', directives: parseModprobeConf('install usb-storage /sbin/modprobe usb-storage') },
    ]);
    expect(merged).toEqual({
      dccp: {
        install: '/sbin/modprobe --ignore-install dccp',
        disabled: false,
        blacklisted: false,
        file: '/etc/modprobe.d/a.conf',
        line: 3,
      },
      usb_storage: { install: '/usr/bin/false', disabled: true, blacklisted: true, file: '/etc/modprobe.d/a.conf', line: 1 },
    });
  });
});

describe('parseProcModules', () => {
  it('lists names sorted and normalised', () => {
    expect(parseProcModules('nf_tables 364544 0 - Live 0x0\nusb-storage 1 0 - Live 0x0\nfat 94208 1 vfat, Live 0x0\n')).toEqual([
      'fat',
      'nf_tables',
      'usb_storage',
    ]);
  });
});

describe('kernel_modules collector', () => {
  it('reads loaded modules and modprobe.d with masking (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.loaded).toEqual(['fat', 'ipv6', 'nf_tables', 'vfat']);
    expect(fact.modprobe.cramfs).toEqual({
      install: '/bin/false',
      disabled: true,
      blacklisted: false,
      file: '/etc/modprobe.d/cis.conf',
      line: 2,
    });
    expect(fact.modprobe.udf).toMatchObject({ install: null, disabled: false, blacklisted: true });
    expect(fact.modprobe.usb_storage).toMatchObject({ disabled: true, blacklisted: true });
    // /etc/modprobe.d/50-firewire.conf masks the vendor file that blacklisted firewire-core.
    expect(fact.modprobe.firewire_core).toBeUndefined();
    expect(fact.masked_files).toEqual([{ file: '/usr/lib/modprobe.d/50-firewire.conf', masked_by: '/etc/modprobe.d/50-firewire.conf' }]);
  });

  it('reports loaded as null without /proc/modules in the tree (RHEL)', async () => {
    const fact = await collect(rootContext(fixtureRoot('rhel9')));
    expect(fact.loaded).toBeNull();
    expect(fact.modprobe.i8xx_tco?.blacklisted).toBe(true);
  });
});
