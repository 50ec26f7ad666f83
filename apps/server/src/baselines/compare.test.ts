import { describe, expect, it } from 'vitest';
import { diffFacts } from '../drift/fact-diff';
import { baselineTransitions, compareToBaseline, valueAt } from './compare';

const severity = () => 'low';
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

describe('baselineTransitions', () => {
  const approved = {
    facts: { sysctl: { 'net.ipv4.ip_forward': { runtime: '0' } }, listening_sockets: [socket(22)] },
    verdicts: { r1: 'pass' },
  };
  const step = (
    from: Record<string, unknown>,
    to: Record<string, unknown>,
    verdicts: Array<{ ruleId: string; severity: string; before: string | null; after: string }> = [],
  ) => baselineTransitions(approved, to, diffFacts(from, to), verdicts, severity);

  it('raises a departure, and a return, but nothing for a change between two differing values', () => {
    const at = (v: string) => ({ ...approved.facts, sysctl: { 'net.ipv4.ip_forward': { runtime: v } } });
    expect(step(at('0'), at('1'))).toEqual([
      expect.objectContaining({
        kind: 'baseline',
        direction: 'regression',
        path: 'sysctl.net.ipv4.ip_forward.runtime',
        before: '0',
        after: '1',
      }),
    ]);
    expect(step(at('1'), at('2'))).toEqual([]);
    expect(step(at('2'), at('0'))).toEqual([expect.objectContaining({ direction: 'fix', before: '0', after: '0' })]);
  });

  it('judges list items as a set against the approved list', () => {
    const with_ = (...ports: number[]) => ({ ...approved.facts, listening_sockets: ports.map(socket) });
    expect(step(with_(22), with_(22, 8080))).toEqual([
      expect.objectContaining({ direction: 'regression', before: null, after: socket(8080) }),
    ]);
    expect(step(with_(22, 8080), with_(8080))).toEqual([
      expect.objectContaining({ direction: 'regression', before: socket(22), after: null }),
    ]);
    expect(step(with_(8080), with_(22, 8080))).toEqual([
      expect.objectContaining({ direction: 'fix', before: socket(22), after: socket(22) }),
    ]);
  });

  it('compares changed verdicts to the approved ones, a rule new to the host included', () => {
    const facts = approved.facts;
    expect(step(facts, facts, [{ ruleId: 'r1', severity: 'high', before: 'pass', after: 'fail' }])).toEqual([
      expect.objectContaining({ ruleId: 'r1', severity: 'high', direction: 'regression', before: 'pass', after: 'fail' }),
    ]);
    expect(step(facts, facts, [{ ruleId: 'r2', severity: 'low', before: null, after: 'pass' }])).toEqual([
      expect.objectContaining({ ruleId: 'r2', direction: 'regression', before: null }),
    ]);
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
