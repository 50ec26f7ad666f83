import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgOwners } from './read-dpkg-owners';
import { likelyFirst, listHasPath, nameWords, packageFromListFile, pathAliases } from './parse-dpkg-lists';
import { withTree } from '../../../test/support/host-trees';
import { cases } from '../../../test/support/cases';

describe('dpkg .list helpers', () => {
  cases(packageFromListFile, [
    ['openssh-server.list', 'openssh-server'],
    ['libc6:amd64.list', 'libc6'],
    ['libstdc++6:arm64.list', 'libstdc++6'],
    ['openssh-server.md5sums', null],
  ]);

  it.each([
    ['/.\n/usr/sbin/sshd\n', '/usr/sbin/sshd', true],
    ['/.\n/usr/sbin/sshd', '/usr/sbin/sshd', true],
    ['/.\n/usr/sbin/sshd-session\n', '/usr/sbin/sshd', false],
    ['/.\n/x/usr/sbin/sshd\n', '/usr/sbin/sshd', false],
  ])('%j has %s: %s', (text, p, want) => {
    expect(listHasPath(text, p)).toBe(want);
  });

  it('tries both sides of merged /usr', () => {
    expect(pathAliases('/usr/sbin/dhclient')).toEqual(['/usr/sbin/dhclient', '/sbin/dhclient']);
    expect(pathAliases('/bin/nc')).toEqual(['/bin/nc', '/usr/bin/nc']);
  });
});

describe('search order of the package lists', () => {
  const lists = [
    'adduser.list',
    'erlang-base:amd64.list',
    'mariadb-server-core.list',
    'openssh-server.list',
    'postgresql-15.list',
    'zlib1g:amd64.list',
  ];

  it('reads first the lists of packages named like the wanted paths, then the rest in byte order', () => {
    const order = likelyFirst(lists, [
      '/usr/lib/postgresql/15/bin/postgres',
      '/usr/sbin/mariadbd',
      '/usr/lib/erlang/erts-13.1.5/bin/beam.smp',
    ]);
    expect(order.map((o) => o.pkg)).toEqual(['erlang-base', 'mariadb-server-core', 'postgresql-15', 'adduser', 'openssh-server', 'zlib1g']);
  });

  it('ties nothing on words every path or package has', () => {
    expect(nameWords('/usr/lib/x86_64-linux-gnu/libexec/server')).toEqual(['linux', 'gnu']);
    expect(likelyFirst(lists, ['/usr/sbin/server-core']).map((o) => o.pkg)).toEqual([
      'adduser',
      'erlang-base',
      'mariadb-server-core',
      'openssh-server',
      'postgresql-15',
      'zlib1g',
    ]);
  });
});

describe('dpkgOwners', () => {
  it('finds the owner of every path, whether or not its package is named like it', async () => {
    const tree: Record<string, string> = { 'var/lib/dpkg/status': 'Package: a\n' };
    for (let i = 0; i < 40; i++) tree[`var/lib/dpkg/info/pkg${String(i).padStart(2, '0')}.list`] = `/.\n/usr/share/doc/pkg${i}\n`;
    tree['var/lib/dpkg/info/openssh-server.list'] = '/.\n/usr/sbin/sshd\n';
    tree['var/lib/dpkg/info/postgresql-15.list'] = '/.\n/usr/lib/postgresql/15/bin/postgres\n';
    // Merged /usr: the list says /sbin, the process runs from /usr/sbin.
    tree['var/lib/dpkg/info/pkg33.list'] += '/sbin/dhclient\n';
    await withTree(tree, async (root) => {
      const wanted = ['/usr/sbin/sshd', '/usr/lib/postgresql/15/bin/postgres', '/usr/sbin/dhclient', '/usr/local/bin/mine'];
      expect(await dpkgOwners(root, wanted)).toEqual(
        new Map([
          ['/usr/sbin/sshd', 'openssh-server'],
          ['/usr/lib/postgresql/15/bin/postgres', 'postgresql-15'],
          ['/usr/sbin/dhclient', 'pkg33'],
        ]),
      );
    });
  });

  it('answers from its cache until the dpkg database changes', async () => {
    await withTree(
      {
        'var/lib/dpkg/status': 'Package: a\n',
        'var/lib/dpkg/info/a.list': '/.\n/usr/bin/a\n',
      },
      async (root) => {
        expect(await dpkgOwners(root, ['/usr/bin/a', '/usr/bin/b'])).toEqual(new Map([['/usr/bin/a', 'a']]));
        // A package installed later: dpkg adds a .list and rewrites status.
        await new Promise((r) => setTimeout(r, 20));
        await writeFile(path.join(root, 'var/lib/dpkg/info/b.list'), '/.\n/usr/bin/b\n');
        await writeFile(path.join(root, 'var/lib/dpkg/status'), 'Package: a\n\nPackage: b\n');
        expect(await dpkgOwners(root, ['/usr/bin/b'])).toEqual(new Map([['/usr/bin/b', 'b']]));
      },
    );
  });
});
