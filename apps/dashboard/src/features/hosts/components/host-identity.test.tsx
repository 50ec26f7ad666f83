import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import type { HostDetail } from '@plumbline/protocol/api';
import { describe, expect, it } from 'vitest';
import { HostIdentityBadges, HostIdentityNotice } from './host-identity';

const render = (node: ReactNode) =>
  renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>{node}</MemoryRouter>
    </QueryClientProvider>,
  );

const host: HostDetail = {
  id: 'h1',
  hostname: 'web-1',
  os: null,
  osId: null,
  osVersion: null,
  kernel: null,
  arch: null,
  agentVersion: null,
  group: null,
  tags: [],
  online: true,
  lastSeenAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  score: null,
  scoreWithWaivers: null,
  counts: { pass: 0, fail: 0, waived: 0, notapplicable: 0, error: 0 },
  profile: null,
  clockSkewSeconds: 0,
  clockSkewed: false,
  identityConflict: false,
  duplicateHostname: false,
  machineId: '0123456789abcdef0123456789abcdef',
  identityConflictSince: null,
  sameMachineId: [],
  sameHostname: [],
  facts: null,
  factErrors: {},
  observedAt: null,
  receivedAt: null,
};

describe('host identity', () => {
  it('shows nothing for a host with its own identity and name', () => {
    expect(render(<HostIdentityBadges host={host} />)).toBe('');
    expect(render(<HostIdentityNotice host={{ ...host, sameMachineId: [], sameHostname: [] }} canClear />)).toBe('');
  });

  it('badges a conflict and a duplicate hostname in lists', () => {
    const html = render(<HostIdentityBadges host={{ ...host, identityConflict: true, duplicateHostname: true }} />);
    expect(html).toContain('Identity conflict');
    expect(html).toContain('Duplicate hostname');
  });

  it('on the host page, names the other host, says how to fix a cloned machine id, and offers to clear the flag', () => {
    const conflicted = {
      ...host,
      identityConflict: true,
      identityConflictSince: '2026-12-06T09:00:00.000Z',
      sameMachineId: [{ id: 'h2', hostname: 'web-1-clone' }],
      sameHostname: [],
    };
    const html = render(<HostIdentityNotice host={conflicted} canClear />);
    expect(html).toContain('href="/hosts/h2"');
    expect(html).toContain('rm /etc/machine-id &amp;&amp; systemd-machine-id-setup');
    expect(html).toContain('Clear the flag');
    expect(render(<HostIdentityNotice host={conflicted} />)).not.toContain('Clear the flag');
  });
});
