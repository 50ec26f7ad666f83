import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { hostScopes, WaiveForm } from './waive-form';

const render = (node: ReactNode) => renderToStaticMarkup(<QueryClientProvider client={new QueryClient()}>{node}</QueryClientProvider>);
const noop = () => undefined;

describe('WaiveForm', () => {
  it('waives a CVE with the same terms and scopes as a rule: this host, its group, each of its tags', () => {
    const html = render(
      <WaiveForm
        target={{ cve: 'CVE-2024-6387' }}
        scopes={hostScopes({ id: 'h1', group: 'web', tags: ['dmz', 'pci'] })}
        onDone={noop}
        onCancel={noop}
      />,
    );
    expect(html).toContain('aria-label="Waive CVE-2024-6387"');
    expect(html).toContain('Justification');
    expect(html).toContain('Expires on');
    const options = [...html.matchAll(/<option value="([^"]+)"[^>]*>([^<]+)</g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual([
      ['host:h1', 'This host'],
      ['group:web', 'Every host in group web'],
      ['tag:dmz', 'Every host tagged dmz'],
      ['tag:pci', 'Every host tagged pci'],
    ]);
    expect(html).toContain('Create waiver');
  });

  it('names the one scope it can take when there is no choice (a group, from the fleet view)', () => {
    const html = render(
      <WaiveForm
        target={{ cve: 'CVE-2024-6387' }}
        scopes={[{ scope: { type: 'group', id: 'web' }, label: 'Every host in group web' }]}
        onDone={noop}
        onCancel={noop}
      />,
    );
    expect(html).not.toContain('<select');
    expect(html).toContain('Applies to: Every host in group web.');
  });

  it('keeps its rule form: named by the rule, a host without group or tags has no scope to choose', () => {
    const html = render(
      <WaiveForm
        target={{ ruleId: 'plb-ssh-root-login' }}
        scopes={hostScopes({ id: 'h1', group: null, tags: [] })}
        onDone={noop}
        onCancel={noop}
      />,
    );
    expect(html).toContain('aria-label="Waive plb-ssh-root-login"');
    expect(html).not.toContain('<select');
    expect(html).not.toContain('Applies to');
  });
});
