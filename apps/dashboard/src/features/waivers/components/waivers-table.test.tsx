import type { WaiverItem } from '@plumbline/protocol/api';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { WaiversTable } from './waivers-table';

const waiver = (over: Partial<WaiverItem>): WaiverItem => ({
  id: 'w1',
  ruleId: null,
  cve: null,
  scope: { type: 'group', id: 'web' },
  justification: 'reachable from the bastion only',
  expiresAt: '2027-01-31T23:59:59.999Z',
  requestedBy: 'user:alice@example.com',
  approvedBy: null,
  approvedAt: null,
  revokedBy: null,
  revokedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  state: 'requested',
  ...over,
});

describe('WaiversTable', () => {
  it('names what each waiver accepts: a rule links to its page, a CVE to the fleet view filtered on it', () => {
    const html = renderToStaticMarkup(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <WaiversTable
            canAct
            caption="waivers"
            waivers={[waiver({ id: 'w1', cve: 'CVE-2024-6387' }), waiver({ id: 'w2', ruleId: 'plb-ssh-root-login', state: 'active' })]}
          />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(html).toContain('href="/vulnerabilities?cve=CVE-2024-6387"');
    expect(html).toContain('known vulnerability');
    expect(html).toContain('href="/rules/plb-ssh-root-login"');
    expect(html).toContain('aria-label="Approve waiver for CVE-2024-6387"');
    expect(html).toContain('aria-label="Revoke waiver for plb-ssh-root-login"');
  });
});
