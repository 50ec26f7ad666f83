import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { iptablesFilters, parseIptablesSave } from './parse-iptables';
import { hookPolicy, parseNftConf, parseNftJson } from './parse-nftables';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';
import { parseUfwStatus, parseUfwTuples } from './parse-ufw';

describe('ufw tuples', () => {
  it.each([
    [
      '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in',
      { action: 'allow', protocol: 'tcp', to_port: '22', from: '0.0.0.0/0', direction: 'in', interface: null },
    ],
    ['### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in', { action: 'allow', to_port: '22', direction: 'in' }],
    [
      '### tuple ### limit tcp 443 0.0.0.0/0 any 10.0.0.0/8 in_ens5 comment=6869',
      { action: 'limit', from: '10.0.0.0/8', interface: 'ens5' },
    ],
    ['### tuple ### deny any any 0.0.0.0/0 any 0.0.0.0/0 out', { action: 'deny', direction: 'out' }],
    ['### tuple ### route:allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in_eth0!out_eth1', { action: 'allow', direction: 'fwd', interface: 'eth0' }],
  ])('%s', (line, want) => {
    expect(parseUfwTuples(`x\n${line}\n`, '/etc/ufw/user.rules', false)[0]).toMatchObject({ ...want, line: 2 });
  });

  it('reads ufw status', () => {
    expect(parseUfwStatus('Status: active\n\nTo Action From\n')).toBe(true);
    expect(parseUfwStatus('Status: inactive\n')).toBe(false);
    expect(parseUfwStatus('ERROR: You need to be root\n')).toBeNull();
  });
});

describe('nftables', () => {
  it('reads block syntax, anonymous sets over lines, comments and add commands', () => {
    const { tables, includes } = parseNftConf(`include "/etc/nft.d/*.nft"
table inet filter { # comment
  chain input { type filter hook input priority 0; policy drop;
    tcp dport {
      22, 80 } accept
    iif lo accept
  }
  set s { type ipv4_addr; }
}
add table ip nat
add chain ip nat post { type nat hook postrouting priority 100 ; }
add rule ip nat post masquerade
`);
    expect(includes).toEqual(['/etc/nft.d/*.nft']);
    expect(tables).toEqual([
      { family: 'inet', name: 'filter', chains: [{ name: 'input', hook: 'input', type: 'filter', policy: 'drop', rules: 2 }] },
      { family: 'ip', name: 'nat', chains: [{ name: 'post', hook: 'postrouting', type: 'nat', policy: null, rules: 1 }] },
    ]);
    expect(hookPolicy(tables, 'input')).toBe('drop');
    expect(hookPolicy(tables, 'postrouting')).toBeNull(); // nat chains do not filter
    expect(hookPolicy(tables, 'forward')).toBeNull();
  });

  it('reads nft -j list ruleset, where a base chain without policy accepts', () => {
    const tables = parseNftJson(
      JSON.stringify({
        nftables: [
          { metainfo: { version: '1.0.6' } },
          { table: { family: 'inet', name: 'f', handle: 1 } },
          { chain: { family: 'inet', table: 'f', name: 'in', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
          { chain: { family: 'inet', table: 'f', name: 'in2', handle: 2, type: 'filter', hook: 'input', prio: 10, policy: 'drop' } },
          { rule: { family: 'inet', table: 'f', chain: 'in', handle: 3, expr: [] } },
        ],
      }),
    );
    expect(tables[0]?.chains.map((c) => [c.name, c.policy, c.rules])).toEqual([
      ['in', 'accept', 1],
      ['in2', 'drop', 0],
    ]);
    expect(hookPolicy(tables, 'input')).toBe('drop');
  });
});

describe('iptables-save', () => {
  it('takes filter policies and counts rules per table/chain, ignoring counters', () => {
    const f = parseIptablesSave(
      '*filter\n:INPUT DROP [5:100]\n:FORWARD ACCEPT [0:0]\n:custom - [0:0]\n-A INPUT -i lo -j ACCEPT\n-A custom -j DROP\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n',
      'iptables-save',
    );
    expect(f).toEqual({
      source: 'iptables-save',
      policies: { FORWARD: 'ACCEPT', INPUT: 'DROP' },
      rule_counts: { 'filter/FORWARD': 0, 'filter/INPUT': 1, 'filter/custom': 1, 'nat/PREROUTING': 0 },
    });
    expect(iptablesFilters(f)).toBe(true);
    expect(iptablesFilters(parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', 'x'))).toBe(false);
  });
});

describe('firewall collector on fixture trees', () => {
  it.each([
    ['debian12-default', null],
    ['debian12-hardened', 'nftables'],
    ['ubuntu-2204', 'ufw'],
    ['ubuntu-2404', null],
    ['rhel9', 'firewalld'],
    ['edge-mqtt', 'iptables'],
  ])('%s: active firewall is %s', async (scenario, active) => {
    expect((await collect(rootContext(fixtureRoot(scenario)))).active).toBe(active);
  });

  it('reads ufw state, policies and rules from both rule files (Ubuntu 22.04)', async () => {
    const { ufw } = await collect(rootContext(fixtureRoot('ubuntu-2204')));
    expect(ufw).toMatchObject({
      installed: true,
      enabled: true,
      enabled_source: { file: '/etc/ufw/ufw.conf', line: 6 },
      default_incoming: 'deny',
      default_outgoing: 'allow',
      default_routed: 'deny',
    });
    expect(ufw.rules.map((r) => [r.action, r.to_port, r.v6, r.interface])).toEqual([
      ['allow', '22', false, null],
      ['limit', '443', false, 'ens5'],
      ['allow', '22', true, null],
    ]);
  });

  it('says ufw is installed but disabled, and nftables follows includes (Ubuntu 24.04, Debian hardened)', async () => {
    expect((await collect(rootContext(fixtureRoot('ubuntu-2404')))).ufw).toMatchObject({ installed: true, enabled: false });
    const { nftables } = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(nftables).toMatchObject({
      installed: true,
      service_enabled: true,
      ruleset_source: '/etc/nftables.conf',
      input_policy: 'drop',
      forward_policy: 'drop',
      output_policy: 'accept',
    });
    expect(nftables.tables.map((t) => t.name)).toEqual(['filter', 'ratelimit']);
    expect(nftables.tables[0]?.chains.find((c) => c.name === 'input')?.rules).toBe(7);
  });

  it('reads iptables-persistent rules and the firewalld zone (edge, RHEL)', async () => {
    const edge = await collect(rootContext(fixtureRoot('edge-mqtt')));
    expect(edge.iptables.v4).toMatchObject({
      source: '/etc/iptables/rules.v4',
      policies: { INPUT: 'DROP', FORWARD: 'DROP', OUTPUT: 'ACCEPT' },
    });
    expect(edge.iptables.v4?.rule_counts['filter/INPUT']).toBe(6);
    const rhel = await collect(rootContext(fixtureRoot('rhel9')));
    expect(rhel.firewalld).toEqual({
      installed: true,
      service_enabled: true,
      default_zone: 'public',
      file: '/etc/firewalld/firewalld.conf',
      line: 6,
    });
  });
});
