import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { collect } from './index';
import { parseElfMachine, parseHostnameFile, parseOsRelease, virtualizationFromDmi } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';
import { cases } from '../../../test/support/cases';

describe('parseOsRelease', () => {
  cases(parseOsRelease, [
    ['ID=debian', { ID: 'debian' }],
    ['NAME="Debian GNU/Linux"', { NAME: 'Debian GNU/Linux' }],
    ["NAME='Single quoted $HOME'", { NAME: 'Single quoted $HOME' }],
    ['PRETTY_NAME="A \\"quoted\\" \\$name \\\\ here"', { PRETTY_NAME: 'A "quoted" $name \\ here' }],
    ['VARIANT=Server\\ Edition', { VARIANT: 'Server Edition' }],
    ['ID_LIKE="rhel centos fedora"', { ID_LIKE: 'rhel centos fedora' }],
    ['  # comment\n\nID=x\r\nVERSION_ID="1"\r\n', { ID: 'x', VERSION_ID: '1' }],
    ['not a line\n=novalue\nlower_case=ok', { lower_case: 'ok' }],
    ['ID=x # trailing', { ID: 'x' }],
  ]);
});

describe('parseHostnameFile', () => {
  cases(parseHostnameFile, [
    ['web-01\n', 'web-01'],
    ['# set by cloud-init\n\n  edge-gw-17  \n', 'edge-gw-17'],
    ['', null],
    ['# only a comment\n', null],
  ]);
});

describe('parseElfMachine', () => {
  const elf = (machine: number, little = true) => {
    const b = Buffer.alloc(20);
    b.writeUInt32BE(0x7f454c46, 0);
    b[5] = little ? 1 : 2;
    if (little) b.writeUInt16LE(machine, 18);
    else b.writeUInt16BE(machine, 18);
    return b;
  };
  it.each([
    [elf(0x3e), 'x86_64'],
    [elf(0xb7), 'aarch64'],
    [elf(0x28), 'armv7l'],
    [elf(0x15), 'ppc64le'],
    [elf(0x15, false), 'ppc64'],
    [elf(0x16, false), 's390x'],
    [elf(0x9999), null],
    [Buffer.from('#!/bin/sh\nexec foo bar\n'), null],
  ])('%#', (buf, want) => {
    expect(parseElfMachine(buf)).toBe(want);
  });
});

describe('virtualizationFromDmi', () => {
  cases(virtualizationFromDmi, [
    ['QEMU\n', 'qemu'],
    ['VMware, Inc.', 'vmware'],
    ['Microsoft Corporation', 'microsoft'],
    ['innotek GmbH', 'oracle'],
    ['Amazon EC2', 'amazon'],
    ['Dell Inc.', null],
  ]);
});

describe('host collector', () => {
  it('describes a Debian tree from its files only', async () => {
    expect(await collect(rootContext(fixtureRoot('debian12-default')))).toEqual({
      hostname: 'deb12-default',
      machine_id: '3f5c2a9e8d7b4c1a9e0f6b2d4c8a1e7f',
      os: {
        id: 'debian',
        id_like: [],
        name: 'Debian GNU/Linux',
        version_id: '12',
        version_codename: 'bookworm',
        pretty_name: 'Debian GNU/Linux 12 (bookworm)',
      },
      kernel: { release: '6.1.0-25-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)' },
      arch: null,
      boot_time: null,
      virtualization: null,
    });
  });

  it('reads the RHEL family and its ID_LIKE list, without a /proc snapshot', async () => {
    const fact = await collect(rootContext(fixtureRoot('rhel9')));
    expect(fact.os).toMatchObject({ id: 'rocky', id_like: ['rhel', 'centos', 'fedora'], version_id: '9.4' });
    expect(fact.kernel).toEqual({ release: null, version: null });
  });

  it('falls back to /usr/lib/os-release and /var/lib/dbus/machine-id, ignoring "uninitialized"', async () => {
    await withTree(
      {
        'etc/hostname': 'h\n',
        'etc/machine-id': 'uninitialized\n',
        'var/lib/dbus/machine-id': 'ABCDEFABCDEFABCDEFABCDEFABCDEFAB\n',
        'usr/lib/os-release': 'ID=alpine\n',
      },
      async (root) => {
        const fact = await collect(rootContext(root));
        expect(fact.os.id).toBe('alpine');
        expect(fact.machine_id).toBe('abcdefabcdefabcdefabcdefabcdefab');
      },
    );
  });

  it('takes the architecture from the tree shell ELF header when there is one', async () => {
    const header = Buffer.alloc(64);
    header.writeUInt32BE(0x7f454c46, 0);
    header[5] = 1;
    header.writeUInt16LE(0xb7, 18);
    await withTree({ 'etc/hostname': 'h\n', 'usr/bin/sh': header, bin: { link: 'usr/bin' } }, async (root) => {
      expect((await collect(rootContext(root))).arch).toBe('aarch64');
    });
  });

  it('fails without /etc/hostname under --root', async () => {
    await withTree({ 'etc/os-release': 'ID=x\n' }, async (root) => {
      await expect(collect(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING', path: '/etc/hostname' });
    });
  });

  it('describes the live machine', async () => {
    const fact = await collect({ root: '/', live: true, log: pino({ level: 'silent' }) });
    expect(fact.hostname).toBe(os.hostname());
    expect(fact.arch).toBe(os.machine());
    expect(fact.kernel.release).toBe(os.release());
    expect(Date.parse(fact.boot_time ?? '')).toBeLessThan(Date.now());
  });

  it('detects the virtualization once a boot', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cache-'));
    vi.stubEnv('PLUMBLINE_CACHE_DIR', dir);
    try {
      const live = { root: '/', live: true, log: pino({ level: 'silent' }) };
      const detected = (await collect(live)).virtualization;
      const file = path.join(dir, 'virtualization.json');
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      if (detected) expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ stamp: boot, value: detected });
      // What was found this boot is the answer; what was found in another boot is not.
      writeFileSync(file, JSON.stringify({ stamp: boot, value: 'kvm-kept' }));
      expect((await collect(live)).virtualization).toBe('kvm-kept');
      writeFileSync(file, JSON.stringify({ stamp: 'another-boot', value: 'kvm-kept' }));
      expect((await collect(live)).virtualization).toBe(detected);
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
