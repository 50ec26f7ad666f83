import { describe, expect, it } from 'vitest';
import { describeDrift, factDriftEvents } from './events';

const setting = (value: string, line = 3, file = '/etc/ssh/sshd_config') => ({
  keyword: 'PermitRootLogin',
  value,
  args: [value],
  file,
  line,
});
const sshd = (s: unknown, matchLine = 20) => ({
  sshd_config: {
    source: 'files',
    files: ['/etc/ssh/sshd_config'],
    settings: { permitrootlogin: s },
    match_blocks: [{ criteria: 'User deploy', file: '/etc/ssh/sshd_config', line: matchLine, settings: {} }],
  },
});

describe('factDriftEvents', () => {
  it('makes one edited sshd line one event carrying the whole setting before and after', () => {
    const events = factDriftEvents(sshd(setting('no')), sshd(setting('yes')));
    expect(events).toEqual([
      expect.objectContaining({
        fact: 'sshd_config',
        path: 'sshd_config.settings.permitrootlogin',
        op: 'replace',
        label: 'PermitRootLogin',
        before: setting('no'),
        after: setting('yes'),
      }),
    ]);
    const text = describeDrift({
      kind: 'fact',
      ruleId: null,
      ruleTitle: null,
      ...events[0]!,
    });
    expect(text).toEqual({
      summary: 'sshd_config: PermitRootLogin no -> yes, /etc/ssh/sshd_config:3',
      beforeText: 'no',
      afterText: 'yes',
      location: '/etc/ssh/sshd_config:3',
    });
  });

  it('raises nothing when only line numbers move (a comment added at the top), Match blocks included', () => {
    expect(factDriftEvents(sshd(setting('no', 3), 20), sshd(setting('no', 4), 21))).toEqual([]);
  });

  it('raises nothing when only the order of a list changes', () => {
    expect(factDriftEvents({ mounts: { options: ['nodev', 'nosuid'] } }, { mounts: { options: ['nosuid', 'nodev'] } })).toEqual([]);
  });

  it('still reports a value that changed along with its line', () => {
    expect(factDriftEvents(sshd(setting('no', 3)), sshd(setting('yes', 9)))).toHaveLength(1);
  });

  it('reports a new listening socket as one added item, readable', () => {
    const s = (port: number) => ({ protocol: 'tcp', address: '0.0.0.0', port, process: 'nginx' });
    const [e, ...rest] = factDriftEvents({ listening_sockets: [s(22)] }, { listening_sockets: [s(80), s(22)] });
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ op: 'add', path: 'listening_sockets', after: s(80) });
    expect(describeDrift({ kind: 'fact', ruleId: null, ruleTitle: null, ...e! }).summary).toBe(
      'listening_sockets: added protocol=tcp address=0.0.0.0 port=80 process=nginx',
    );
  });

  it('names a sysctl key with dots in it', () => {
    const f = (v: string) => ({ sysctl: { runtime: { 'net.ipv4.ip_forward': { value: v, source: '/proc/sys/net/ipv4/ip_forward' } } } });
    expect(factDriftEvents(f('0'), f('1'))).toEqual([
      expect.objectContaining({
        path: 'sysctl.runtime.net.ipv4.ip_forward',
        keys: ['sysctl', 'runtime', 'net.ipv4.ip_forward'],
        label: 'runtime net.ipv4.ip_forward',
      }),
    ]);
  });
});

describe('describeDrift', () => {
  it('writes a compliance change with the rule title', () => {
    expect(
      describeDrift({
        kind: 'compliance',
        path: null,
        label: null,
        ruleId: 'r1',
        ruleTitle: 'X11 forwarding is off',
        before: 'fail',
        after: 'pass',
      }),
    ).toMatchObject({ summary: 'X11 forwarding is off (r1): fail -> pass', beforeText: 'fail', afterText: 'pass' });
  });
});
