import type { DriftItem } from '@plumbline/protocol/api';
import { describe, expect, it } from 'vitest';
import { afterText, beforeText, directionOf, readableValue, whereOf } from './readable';

// Without the server's readable fields (summary, beforeText, ...): what the helpers write themselves.
const item = (over: Partial<DriftItem>): DriftItem =>
  ({
    id: '1',
    hostId: 'h',
    hostname: 'web-01',
    group: null,
    kind: 'fact',
    severity: 'medium',
    ruleId: null,
    ruleTitle: null,
    path: 'sshd_config.settings.permitrootlogin',
    direction: 'change',
    before: null,
    after: null,
    observedAt: '2026-12-06T10:00:00Z',
    receivedAt: '2026-12-06T10:00:00Z',
    firstFailedAt: null,
    ...over,
  }) as DriftItem;

describe('readable drift', () => {
  it('writes an sshd setting as its value and says where it comes from', () => {
    const d = item({
      before: { keyword: 'PermitRootLogin', value: 'no', args: ['no'], file: '/etc/ssh/sshd_config', line: 27 },
      after: { keyword: 'PermitRootLogin', value: 'yes', args: ['yes'], file: '/etc/ssh/sshd_config', line: 27 },
    });
    expect(beforeText(d)).toBe('PermitRootLogin no');
    expect(afterText(d)).toBe('PermitRootLogin yes');
    expect(whereOf(d)).toBe('/etc/ssh/sshd_config:27');
  });

  it('writes sockets, file metadata, lists and verdicts without JSON', () => {
    expect(readableValue({ protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd', inode: 1 })).toBe('tcp 0.0.0.0:22 (sshd)');
    expect(
      readableValue({ exists: true, type: 'file', mode: '0640', owner: 'root', group: 'shadow', uid: 0, gid: 42, link_target: null }),
    ).toBe('0640 root:shadow');
    expect(readableValue(['aes256-gcm', 'aes128-ctr'])).toBe('aes256-gcm aes128-ctr');
    expect(readableValue(null)).toBe('absent');
    expect(beforeText(item({ kind: 'compliance', before: 'fail', after: 'pass' }))).toBe('Fail');
    for (const v of [{ a: { b: 1 } }, [{ x: 1 }], { value: 'x', args: ['x', 'y'] }]) expect(readableValue(v)).not.toMatch(/[{}"]/);
  });

  it('prefers the server’s own text when it sends one', () => {
    expect(afterText({ ...item({ after: { value: 'x' } }), afterText: 'yes' })).toBe('yes');
    expect(beforeText({ ...item({}), beforeText: null })).toBe('absent');
  });

  it('calls fail -> pass an improvement, whichever word the server uses', () => {
    expect(directionOf('fix')).toBe('improvement');
    expect(directionOf('improvement')).toBe('improvement');
    expect(directionOf('regression')).toBe('regression');
    expect(directionOf('change')).toBe('change');
  });
});
