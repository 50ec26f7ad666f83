import { describe, expect, it } from 'vitest';
import { factDriftEvents } from '../drift/events';
import type { DriftRow } from '../drift/repository';
import { baselineMarks, compareToBaseline, valueAt } from './compare';

const socket = (port: number) => ({ address: '0.0.0.0', port, protocol: 'tcp', process: 'sshd' });

describe('valueAt', () => {
  it.each([
    ['sshd_config.settings.permitrootlogin.value', 'no'],
    ['sysctl.net.ipv4.ip_forward.runtime', '0'],
    ['sysctl.net.ipv4.ip_forward', { runtime: '0' }],
    ['sysctl.net.ipv6', undefined],
    ['missing.path', undefined],
  ])('finds %s, keys with dots included', (path, expected) => {
    const facts = { sshd_config: { settings: { permitrootlogin: { value: 'no' } } }, sysctl: { 'net.ipv4.ip_forward': { runtime: '0' } } };
    expect(valueAt(facts, path)).toEqual(expected);
  });
});

describe('baselineMarks', () => {
  const approved = {
    facts: { sysctl: { runtime: { 'net.ipv4.ip_forward': { value: '0', line: 1 } } }, listening_sockets: [socket(22)] },
    verdicts: { r1: 'pass' },
  };
  const mark = (from: Record<string, unknown>, to: Record<string, unknown>, compliance: DriftRow[] = []) => {
    const rows: DriftRow[] = [
      ...factDriftEvents(from, to).map((e) => ({
        kind: 'fact' as const,
        severity: 'low',
        ruleId: null,
        direction: 'change' as const,
        ...e,
      })),
      ...compliance,
    ];
    baselineMarks(approved, rows);
    return rows.map((r) => ({ path: r.path, ruleId: r.ruleId, baseline: r.baseline ?? null }));
  };
  const at = (value: string, line = 1) => ({ ...approved.facts, sysctl: { runtime: { 'net.ipv4.ip_forward': { value, line } } } });
  const verdict = (ruleId: string, before: string | null, after: string): DriftRow => ({
    kind: 'compliance',
    severity: 'high',
    ruleId,
    path: null,
    direction: 'change',
    before,
    after,
  });

  it('marks a departure and a return on the fact event itself, nothing for a change between two differing values', () => {
    expect(mark(at('0'), at('1'))).toEqual([{ path: 'sysctl.runtime.net.ipv4.ip_forward', ruleId: null, baseline: 'differs' }]);
    expect(mark(at('1'), at('2'))).toEqual([{ path: 'sysctl.runtime.net.ipv4.ip_forward', ruleId: null, baseline: null }]);
    expect(mark(at('2'), at('0'))).toEqual([{ path: 'sysctl.runtime.net.ipv4.ip_forward', ruleId: null, baseline: 'restored' }]);
  });

  it('does not count a line number as a departure', () => {
    expect(mark(at('1', 1), at('0', 7))).toEqual([{ path: 'sysctl.runtime.net.ipv4.ip_forward', ruleId: null, baseline: 'restored' }]);
  });

  it('judges list items as a set against the approved list', () => {
    const with_ = (...ports: number[]) => ({ ...approved.facts, listening_sockets: ports.map(socket) });
    expect(mark(with_(22), with_(22, 8080))).toEqual([{ path: 'listening_sockets', ruleId: null, baseline: 'differs' }]);
    expect(mark(with_(22, 8080), with_(8080))).toEqual([{ path: 'listening_sockets', ruleId: null, baseline: 'differs' }]);
    expect(mark(with_(8080), with_(22, 8080))).toEqual([{ path: 'listening_sockets', ruleId: null, baseline: 'restored' }]);
  });

  it('compares changed verdicts to the approved ones, a rule new to the host included', () => {
    const facts = approved.facts;
    expect(mark(facts, facts, [verdict('r1', 'pass', 'fail')])).toEqual([{ path: null, ruleId: 'r1', baseline: 'differs' }]);
    expect(mark(facts, facts, [verdict('r1', 'fail', 'pass')])).toEqual([{ path: null, ruleId: 'r1', baseline: 'restored' }]);
    expect(mark(facts, facts, [verdict('r2', null, 'pass')])).toEqual([{ path: null, ruleId: 'r2', baseline: 'differs' }]);
  });
});

describe('compareToBaseline', () => {
  it('lists fact paths and verdicts that differ, nothing when equal', () => {
    const state = { facts: { a: { b: 1 } }, verdicts: { r1: 'pass', r2: 'fail' } };
    expect(compareToBaseline(state, structuredClone(state))).toEqual({ facts: [], verdicts: [] });
    expect(compareToBaseline(state, { facts: { a: { b: 2 } }, verdicts: { r1: 'fail' } })).toEqual({
      facts: [{ fact: 'a', path: 'a.b', op: 'replace', before: 1, after: 2 }],
      verdicts: [
        { ruleId: 'r1', baseline: 'pass', current: 'fail' },
        { ruleId: 'r2', baseline: 'fail', current: null },
      ],
    });
  });
});
