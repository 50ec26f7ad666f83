import { describe, expect, it } from 'vitest';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';
import { collect as collectTime } from './index';
import { parseNtpStyleConf } from './parse';

describe('time_sync', () => {
  it('parses chrony/ntp source lines and directory directives', () => {
    expect(
      parseNtpStyleConf(
        'pool 2.debian.pool.ntp.org iburst\n# server x\nserver 10.0.0.1 iburst nts ! c\nconfdir /etc/chrony/conf.d\nsourcedir /run/a /etc/b\n',
        'f',
      ),
    ).toEqual({
      servers: [
        { kind: 'pool', host: '2.debian.pool.ntp.org', options: ['iburst'], file: 'f', line: 1 },
        { kind: 'server', host: '10.0.0.1', options: ['iburst', 'nts'], file: 'f', line: 3 },
      ],
      include: [],
      confdir: ['/etc/chrony/conf.d'],
      sourcedir: ['/run/a', '/etc/b'],
    });
  });

  it.each([
    ['debian12-hardened', 'chrony', ['ntp1.example.net', 'ntp2.example.net']],
    ['rhel9', 'chrony', ['2.rocky.pool.ntp.org']],
    ['ubuntu-2404', 'systemd-timesyncd', ['ntp1.example.net', 'ntp2.example.net']],
    ['edge-mqtt', 'systemd-timesyncd', ['time.cloudflare.com', '0.debian.pool.ntp.org', '1.debian.pool.ntp.org']],
  ])('%s uses %s with %j', async (scenario, name, hosts) => {
    const fact = await collectTime(rootContext(fixtureRoot(scenario)));
    expect(fact.enabled).toEqual([name]);
    expect(fact.daemons.find((d) => d.name === name)?.servers.map((s) => s.host)).toEqual(hosts);
  });
});
