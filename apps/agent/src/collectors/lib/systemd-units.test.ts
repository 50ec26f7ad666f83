import { describe, expect, it } from 'vitest';
import { installKind, scanUnitFiles, templateOf, unitFileState } from './systemd-units';
import { cases } from '../../../test/support/cases';
import { fixtureRoot, SCENARIOS, withTree } from '../../../test/support/host-trees';

describe('unit files', () => {
  cases(installKind, [
    ['[Unit]\nA=b\n[Install]\nWantedBy=multi-user.target\n', 'install'],
    ['[Install]\nAlias=x.service\n', 'install'],
    ['[Install]\nAlso=avahi-daemon.socket\n', 'also'],
    ['[Service]\nWantedBy=x\n', 'none'],
    ['[Install]\nWantedBy=\n', 'none'],
  ]);

  it('maps an instance to its template', () => {
    expect(templateOf('getty@tty1.service')).toBe('getty@.service');
    expect(templateOf('ssh.service')).toBe('ssh.service');
  });

  it.each([...SCENARIOS, '/'])('finds each unit as the full scan does (%s)', async (scenario) => {
    const root = scenario === '/' ? '/' : fixtureRoot(scenario);
    const all = await scanUnitFiles(root, () => true);
    if (scenario !== '/') expect(all.length).toBeGreaterThan(0);
    for (const state of all) expect(await unitFileState(root, state.unit)).toEqual(state);
    expect(await unitFileState(root, 'no-such-unit.service')).toBeNull();
  });

  it('takes the first directory of the search path that holds the unit as a file or a link', async () => {
    await withTree(
      {
        'etc/systemd/system/a.service': { dir: true },
        'run/systemd/system/a.service': '[Install]\nWantedBy=multi-user.target\n',
        'usr/lib/systemd/system/a.service': '[Service]\n',
        'etc/systemd/system/b.service': { link: '/dev/null' },
        'usr/lib/systemd/system/b.service': '[Install]\nWantedBy=multi-user.target\n',
        'usr/lib/systemd/system/getty@.service': '[Install]\nWantedBy=getty.target\n',
        'etc/systemd/system/getty.target.wants/getty@tty1.service': { link: '/usr/lib/systemd/system/getty@.service' },
      },
      async (root) => {
        expect(await unitFileState(root, 'a.service')).toEqual({
          unit: 'a.service',
          file: '/run/systemd/system/a.service',
          enabled_state: 'disabled',
        });
        expect(await unitFileState(root, 'b.service')).toEqual({
          unit: 'b.service',
          file: '/etc/systemd/system/b.service',
          enabled_state: 'masked',
        });
        expect((await unitFileState(root, 'getty@.service'))?.enabled_state).toBe('enabled');
      },
    );
  });
});
