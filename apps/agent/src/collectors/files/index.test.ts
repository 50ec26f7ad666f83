import { chmod, chown } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, modeString } from './index';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

describe('modeString', () => {
  it.each([
    [0o100640, '0640'],
    [0o40755, '0755'],
    [0o104755, '4755'],
    [0o100000, '0000'],
  ])('%o -> %s', (mode, want) => {
    expect(modeString(mode)).toBe(want);
  });
});

describe('files collector', () => {
  // chown needs root; the agent's CI and developer machines run as root.
  it.skipIf(process.getuid?.() !== 0)(
    'reports owner, group and mode with names from the tree own passwd and group',
    async () => {
      await withTree(
        {
          'etc/passwd': 'root:x:0:0::/root:/bin/bash\nsshkeys:x:4242:4242::/:/usr/sbin/nologin\n',
          'etc/group': 'root:x:0:\nshadow:x:42:\n',
          'etc/shadow': 'root:*:1::::::\n',
          'etc/ssh/sshd_config': 'Port 22\n',
          'etc/ssh/sshd_config.d/10-site.conf': 'X11Forwarding no\n',
          'etc/ssh/ssh_host_ed25519_key': 'placeholder\n',
          'etc/ssh/ssh_host_ed25519_key.pub': 'ssh-ed25519 AAAA\n',
          'etc/sudoers.d/90-ops': 'ops ALL=(ALL) ALL\n',
          'etc/motd': { link: '/run/motd.dynamic' },
          'etc/issue': { link: '../usr/lib/issue' },
          'usr/lib/issue': 'hello\n',
        },
        async (root) => {
          await chmod(path.join(root, 'etc/shadow'), 0o640);
          await chown(path.join(root, 'etc/shadow'), 0, 42);
          await chmod(path.join(root, 'etc/ssh/ssh_host_ed25519_key'), 0o600);
          await chown(path.join(root, 'etc/ssh/ssh_host_ed25519_key'), 4242, 4343);
          const fact = await collect(rootContext(root));
          expect(fact['/etc/shadow']).toEqual({
            exists: true,
            type: 'file',
            link_target: null,
            uid: 0,
            owner: 'root',
            gid: 42,
            group: 'shadow',
            mode: '0640',
          });
          expect(fact['/etc/ssh/ssh_host_ed25519_key']).toMatchObject({
            uid: 4242,
            owner: 'sshkeys',
            gid: 4343,
            group: null,
            mode: '0600',
          });
          expect(fact['/etc/ssh/ssh_host_ed25519_key.pub']?.exists).toBe(true);
          expect(fact['/etc/ssh/sshd_config.d/10-site.conf']?.type).toBe('file');
          expect(fact['/etc/ssh/sshd_config.d']?.type).toBe('directory');
          expect(fact['/etc/sudoers.d/90-ops']?.exists).toBe(true);
          expect(fact['/etc/gshadow']).toEqual({
            exists: false,
            type: null,
            link_target: null,
            uid: null,
            owner: null,
            gid: null,
            group: null,
            mode: null,
          });
          expect(fact['/etc/issue']).toMatchObject({ type: 'symlink', link_target: '../usr/lib/issue', exists: true });
          expect(fact['/etc/motd']).toMatchObject({ type: 'symlink', link_target: '/run/motd.dynamic', exists: true });
          expect(Object.keys(fact)).toEqual([...Object.keys(fact)].sort());
        },
      );
    },
    10_000,
  );

  it('covers every sensitive path on a fixture tree, present or not', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-default')));
    expect(fact['/etc/passwd']?.exists).toBe(true);
    expect(fact['/boot/grub/grub.cfg']?.exists).toBe(false);
    expect(fact['/etc/cron.d']?.type).toBe('directory');
    expect(fact['/etc/sudoers.d/README']?.exists).toBe(true);
    expect(fact['/etc/ssh/ssh_host_ed25519_key']?.exists).toBe(true);
  });
});
