import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globUnderRoot, readText, resolveUnderRoot, tryReadText } from './root-fs';
import { makeTree } from '../../../test/support/host-trees';

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ root, cleanup } = await makeTree({
    'etc/passwd': 'tree-passwd\n',
    'etc/abs-link': { link: '/etc/passwd' },
    'etc/rel-link': { link: '../etc/passwd' },
    'etc/escape-link': { link: '../../../../../../etc/hostname' },
    'etc/dir-link': { link: '/usr/lib' },
    'usr/lib/os-release': 'ID=tree\n',
    'etc/os-release': { link: '../usr/lib/os-release' },
    'loop/a': { link: '/loop/b' },
    'loop/b': { link: '/loop/a' },
    'etc/ssh/sshd_config.d/b.conf': 'b',
    'etc/ssh/sshd_config.d/a.conf': 'a',
    'etc/ssh/sshd_config.d/.hidden.conf': 'hidden',
    'etc/ssh/sshd_config.d/Z.conf': 'Z',
    'etc/ssh/sshd_config.d/c.conf.dpkg-old': 'old',
  }));
});
afterAll(() => cleanup());

describe('resolveUnderRoot', () => {
  it.each([
    ['/etc/passwd', 'etc/passwd'],
    ['/etc/abs-link', 'etc/passwd'],
    ['/etc/rel-link', 'etc/passwd'],
    ['/etc/os-release', 'usr/lib/os-release'],
    ['/etc/dir-link/os-release', 'usr/lib/os-release'],
    ['/../../etc/passwd', 'etc/passwd'],
    ['/etc/escape-link', 'etc/hostname'],
    ['/etc/missing/../../../../x', 'etc/missing/x'],
  ])('%s stays inside the tree as %s', async (p, want) => {
    expect(await resolveUnderRoot(root, p)).toBe(path.join(root, want));
  });

  it('does not follow the last link when asked not to', async () => {
    expect(await resolveUnderRoot(root, '/etc/abs-link', { followLast: false })).toBe(path.join(root, 'etc/abs-link'));
  });

  it('reads the tree, not the host, through an absolute symlink', async () => {
    expect(await readText(root, '/etc/abs-link')).toBe('tree-passwd\n');
    // The host's /etc/hostname exists, but a link climbing out of the tree must not reach it.
    expect(await tryReadText(root, '/etc/escape-link')).toBeNull();
  });

  it('reports a symlink loop with its own code', async () => {
    await expect(resolveUnderRoot(root, '/loop/a')).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SYMLINK_LOOP' });
  });

  it('names the host path when a file is missing', async () => {
    await expect(readText(root, '/etc/shadow')).rejects.toMatchObject({
      code: 'PLUMBLINE_ERR_SOURCE_MISSING',
      path: '/etc/shadow',
    });
  });

  it("is the identity on '/'", async () => {
    expect(await resolveUnderRoot('/', '/proc/self/../1/fd')).toBe('/proc/1/fd');
  });

  it("on '/' gives what resolving the path gives, for any path (plain ones skip the resolving)", async () => {
    const segment = fc.constantFrom('', '.', '..', '...', '.a', 'a.', 'etc', 'x..y', 'fd');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 6 }), fc.boolean(), async (parts, absolute) => {
        const p = `${absolute ? '/' : ''}${parts.join('/')}`;
        expect(await resolveUnderRoot('/', p)).toBe(path.posix.resolve('/', p));
      }),
      { numRuns: 500 },
    );
  });
});

describe('globUnderRoot', () => {
  it('sorts in byte order and skips dotfiles, like glob(3)', async () => {
    expect(await globUnderRoot(root, '/etc/ssh/sshd_config.d/*.conf')).toEqual([
      '/etc/ssh/sshd_config.d/Z.conf',
      '/etc/ssh/sshd_config.d/a.conf',
      '/etc/ssh/sshd_config.d/b.conf',
    ]);
  });

  it('returns a literal path only when it exists', async () => {
    expect(await globUnderRoot(root, '/etc/passwd')).toEqual(['/etc/passwd']);
    expect(await globUnderRoot(root, '/etc/nothing')).toEqual([]);
    expect(await globUnderRoot(root, '/nowhere/*.conf')).toEqual([]);
  });
});
