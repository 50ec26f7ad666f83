import { describe, expect, it } from 'vitest';
import { slackBody, testEvent, vulnerabilityChange, type DriftPayloadEvent } from './webhook-payload';

const finding = (direction: 'regression' | 'improvement'): DriftPayloadEvent => ({
  ...testEvent(new Date('2026-12-06T12:00:00Z')),
  id: '7',
  hostname: 'web-1',
  kind: 'vulnerability',
  severity: 'critical',
  ruleId: null,
  ruleTitle: null,
  path: 'CVE-2024-6387 openssh',
  direction,
  vulnerability: vulnerabilityChange('vulnerability', 'CVE-2024-6387 openssh', direction) ?? undefined,
});

describe('vulnerability webhook events', () => {
  it('name the CVE and package a host gained or lost', () => {
    expect(vulnerabilityChange('vulnerability', 'CVE-2024-6387 openssh', 'regression')).toEqual({
      cve: 'CVE-2024-6387',
      source: 'openssh',
      change: 'gained',
    });
    expect(vulnerabilityChange('vulnerability', 'CVE-2024-6387 openssh', 'improvement')?.change).toBe('lost');
    expect(vulnerabilityChange('fact', '/etc/passwd', 'changed')).toBeNull();
  });

  it('read as a sentence in Slack', () => {
    const p = (direction: 'regression' | 'improvement') => ({
      type: 'drift' as const,
      deliveryId: '1',
      webhook: 'chat',
      event: finding(direction),
    });
    expect(slackBody(p('regression')).text).toBe('[critical] web-1: vulnerable to CVE-2024-6387 in openssh');
    expect(slackBody(p('improvement')).text).toBe('[critical] web-1: no longer vulnerable to CVE-2024-6387 in openssh');
  });
});
