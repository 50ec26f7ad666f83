import type { ResultItem } from '@plumbline/protocol/api';
import { describe, expect, it } from 'vitest';
import { groupBySeverity } from './order-results';

const r = (ruleId: string, severity: ResultItem['severity'], section: string, status: ResultItem['status'] = 'fail', waived = false) =>
  ({ ruleId, severity, section: { id: section, name: section }, status, waived }) as ResultItem;

describe('groupBySeverity', () => {
  it('puts a High failure before many Low ones, then orders by section number', () => {
    const groups = groupBySeverity([
      r('sysctl-a', 'low', '3.10'),
      r('sysctl-b', 'low', '3.2'),
      r('ssh-root', 'high', '5.2'),
      r('pam', 'medium', '5.3'),
      r('ssh-x11', 'high', '5.1', 'pass'),
      r('tmp', 'high', '1.1', 'fail', true),
    ]);
    expect(groups.map((g) => g.severity)).toEqual(['high', 'medium', 'low']);
    expect(groups[0]?.results.map((x) => x.ruleId)).toEqual(['ssh-root', 'tmp', 'ssh-x11']);
    expect(groups[0]?.failing).toBe(1);
    expect(groups[2]?.results.map((x) => x.ruleId)).toEqual(['sysctl-b', 'sysctl-a']);
  });
});
