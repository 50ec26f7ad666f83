import { describe, expect, it } from 'vitest';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';
import { collect as collectUpdates } from './index';
import { parseAptSimulation, parseDnfCheckUpdate, parseDnfSecurity } from './parse';

describe('updates', () => {
  it('parses apt simulation output and flags -security origins', () => {
    const out =
      'Reading package lists...\nInst libssl3 [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])\nInst base-files [12.4+deb12u5] (12.4+deb12u6 Debian:12.6/stable [amd64])\nInst newdep (1.0-1 Debian:12.6/stable, Debian-Security:12/stable-security [all])\nConf libssl3 (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])\n';
    expect(parseAptSimulation(out)).toEqual([
      { name: 'base-files', current_version: '12.4+deb12u5', new_version: '12.4+deb12u6', origin: 'Debian:12.6/stable', security: false },
      {
        name: 'libssl3',
        current_version: '3.0.11-1~deb12u1',
        new_version: '3.0.13-1~deb12u1',
        origin: 'Debian-Security:12/stable-security',
        security: true,
      },
      {
        name: 'newdep',
        current_version: null,
        new_version: '1.0-1',
        origin: 'Debian:12.6/stable, Debian-Security:12/stable-security',
        security: true,
      },
    ]);
  });

  it('parses dnf check-update with updateinfo security names', () => {
    const sec = parseDnfSecurity('RLSA-2024:1234 Important/Sec. openssl-libs-1:3.0.7-27.el9.x86_64\n');
    expect([...sec]).toEqual(['openssl-libs']);
    expect(
      parseDnfCheckUpdate('\nopenssl-libs.x86_64   1:3.0.7-28.el9_4   baseos\nvim-minimal.x86_64  2:8.2.2637-21.el9  baseos\n', sec).map(
        (p) => [p.name, p.security],
      ),
    ).toEqual([
      ['openssl-libs', true],
      ['vim-minimal', false],
    ]);
  });

  it('is unavailable with a reason under --root', async () => {
    expect(await collectUpdates(rootContext(fixtureRoot('debian12-default')))).toEqual({
      available: false,
      reason: 'pending updates are only known on a live host',
      source: null,
      pending: [],
      pending_count: null,
      security_count: null,
    });
  });
});
