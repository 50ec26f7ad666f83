import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgOwners, listHasPath, packageFromListFile, pathAliases } from './dpkg-owners';
import { makeTree } from './testing';

describe('dpkg .list helpers', () => {
  it.each([
    ['openssh-server.list', 'openssh-server'],
    ['libc6:amd64.list', 'libc6'],
    ['libstdc++6:arm64.list', 'libstdc++6'],
    ['openssh-server.md5sums', null],
  ])('%s -> %s', (file, pkg) => {
    expect(packageFromListFile(file)).toBe(pkg);
  });

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

describe('dpkgOwners', () => {
  it('answers from its cache until the dpkg database changes', async () => {
    const { root, cleanup } = await makeTree({
      'var/lib/dpkg/status': 'Package: a\n',
      'var/lib/dpkg/info/a.list': '/.\n/usr/bin/a\n',
    });
    try {
      expect(await dpkgOwners(root, ['/usr/bin/a', '/usr/bin/b'])).toEqual(new Map([['/usr/bin/a', 'a']]));
      // A package installed later: dpkg adds a .list and rewrites status.
      await new Promise((r) => setTimeout(r, 20));
      await writeFile(path.join(root, 'var/lib/dpkg/info/b.list'), '/.\n/usr/bin/b\n');
      await writeFile(path.join(root, 'var/lib/dpkg/status'), 'Package: a\n\nPackage: b\n');
      expect(await dpkgOwners(root, ['/usr/bin/b'])).toEqual(new Map([['/usr/bin/b', 'b']]));
    } finally {
      await cleanup();
    }
  });
});
