import { chmod, chown } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, parseShells } from './index';
import { rootContext, withTree } from '../../../test/support/host-trees';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
  'bob:x:1001:1001:Bob:/home/bob:/bin/zsh',
  'svc:x:998:998::/var/lib/svc:/bin/false',
].join('\n');

describe('home_directories', () => {
  it('lists interactive accounts by /etc/shells, their homes and the dot files in them', async () => {
    await withTree(
      {
        'etc/passwd': PASSWD,
        'etc/shells': '# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n/usr/sbin/nologin\n',
        'root/.bashrc': '',
        'home/alice/.bashrc': '',
        'home/alice/.netrc': 'machine x login a password b\n',
        'home/alice/.rhosts': '+ +\n',
        'home/alice/.config': { dir: true },
        'home/alice/.profile-link': { link: '/etc/passwd' },
        'home/alice/notes.txt': '',
      },
      async (root) => {
        await chmod(path.join(root, 'root'), 0o700);
        await chmod(path.join(root, 'home/alice'), 0o755);
        await chmod(path.join(root, 'home/alice/.netrc'), 0o644);
        await chown(path.join(root, 'home/alice'), 1000, 1000).catch(() => undefined);
        await chown(path.join(root, 'home/alice/.bashrc'), 1000, 1000).catch(() => undefined);
        const fact = await collect(rootContext(root));
        expect(fact.shells_file).toBe('/etc/shells');
        // bob's zsh is not in /etc/shells; sync, daemon and svc have no login shell.
        expect(fact.homes.map((h) => h.user)).toEqual(['root', 'alice']);
        expect(fact.homes[0]).toMatchObject({
          home: '/root',
          exists: true,
          type: 'directory',
          mode: '0700',
          owned_by_user: process.getuid?.() === 0,
        });
        expect(fact.homes[1]).toMatchObject({ home: '/home/alice', exists: true, type: 'directory', mode: '0755' });
        // Regular files only: the directory, the symlink and notes.txt are not dot files.
        expect(fact.dot_files.map((f) => f.path)).toEqual([
          '/root/.bashrc',
          '/home/alice/.bashrc',
          '/home/alice/.netrc',
          '/home/alice/.rhosts',
        ]);
        expect(fact.dot_files.find((f) => f.name === '.netrc')?.mode).toBe('0644');
        if (process.getuid?.() === 0) {
          expect(fact.dot_files.find((f) => f.path === '/home/alice/.bashrc')).toMatchObject({
            owned_by_user: true,
            group_is_primary: true,
          });
          expect(fact.dot_files.find((f) => f.path === '/home/alice/.rhosts')).toMatchObject({
            owned_by_user: false,
            group_is_primary: false,
          });
        }
      },
    );
  });

  it('reports a missing home as such, and without /etc/shells takes every shell but nologin, false, sync, shutdown, halt', async () => {
    await withTree({ 'etc/passwd': PASSWD }, async (root) => {
      const fact = await collect(rootContext(root));
      expect(fact.shells_file).toBeNull();
      expect(fact.homes.map((h) => h.user)).toEqual(['root', 'alice', 'bob']);
      expect(fact.homes[2]).toEqual({
        user: 'bob',
        uid: 1001,
        home: '/home/bob',
        exists: false,
        type: null,
        owned_by_user: null,
        mode: null,
      });
      expect(fact.dot_files).toEqual([]);
    });
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING without /etc/passwd', async () => {
    await withTree({ 'etc/shells': '/bin/sh\n' }, async (root) => {
      await expect(collect(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING' });
    });
  });

  it('parseShells drops comments, blank lines and nologin', () => {
    expect([...(parseShells('# x\n\n/bin/sh # default\n/usr/sbin/nologin\nbash\n') ?? [])]).toEqual(['/bin/sh']);
    expect(parseShells(null)).toBeNull();
  });
});
