import { describe, expect, it } from 'vitest';
import { listConfFiles, resolveConfFiles, type ConfCandidate } from './conf-dirs';
import { withTree } from '../../../test/support/host-trees';

const f = (p: string, nullLink = false): ConfCandidate => ({ path: p, nullLink });

describe('resolveConfFiles', () => {
  it.each([
    {
      name: 'the earlier directory masks the same basename and files apply in basename order',
      in: [f('/etc/d/50-a.conf'), f('/etc/d/99-z.conf'), f('/usr/lib/d/10-x.conf'), f('/usr/lib/d/50-a.conf')],
      files: ['/usr/lib/d/10-x.conf', '/etc/d/50-a.conf', '/etc/d/99-z.conf'],
      masked: [{ file: '/usr/lib/d/50-a.conf', masked_by: '/etc/d/50-a.conf' }],
    },
    {
      name: 'a /dev/null link masks the name entirely',
      in: [f('/etc/d/50-a.conf', true), f('/run/d/50-a.conf'), f('/usr/lib/d/50-a.conf')],
      files: [],
      masked: [
        { file: '/run/d/50-a.conf', masked_by: '/etc/d/50-a.conf' },
        { file: '/usr/lib/d/50-a.conf', masked_by: '/etc/d/50-a.conf' },
      ],
    },
    { name: 'nothing in, nothing out', in: [], files: [], masked: [] },
  ])('$name', (c) => {
    expect(resolveConfFiles(c.in)).toEqual({ files: c.files, masked: c.masked });
  });
});

describe('listConfFiles', () => {
  it('reads only *.conf, sees /dev/null links, and tolerates missing directories', async () => {
    await withTree(
      {
        'etc/x.d/10-a.conf': 'a',
        'etc/x.d/README': 'not config',
        'etc/x.d/20-off.conf': { link: '/dev/null' },
        'usr/lib/x.d/20-off.conf': 'masked',
        'usr/lib/x.d/05-b.conf': 'b',
      },
      async (root) => {
        expect(await listConfFiles(root, ['/etc/x.d', '/run/x.d', '/usr/lib/x.d'])).toEqual({
          files: ['/usr/lib/x.d/05-b.conf', '/etc/x.d/10-a.conf'],
          masked: [{ file: '/usr/lib/x.d/20-off.conf', masked_by: '/etc/x.d/20-off.conf' }],
        });
      },
    );
  });
});

describe('listConfFiles on a merged-/usr tree', () => {
  it('reads /lib -> /usr/lib once, so a directory never masks itself', async () => {
    await withTree({ lib: { link: 'usr/lib' }, 'usr/lib/sysctl.d/50-a.conf': 'x=1\n' }, async (root) => {
      expect(await listConfFiles(root, ['/etc/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'])).toEqual({
        files: ['/usr/lib/sysctl.d/50-a.conf'],
        masked: [],
      });
    });
  });
});
