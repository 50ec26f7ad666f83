import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORT_FORM, type ReportForm as Form } from '../utils/report-form';
import { ReportForm } from './report-form';

const render = (form: Form) =>
  renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <ReportForm form={form} onChange={() => undefined} groups={['web']} hosts={[]} onHostQuery={() => undefined} />
    </QueryClientProvider>,
  );
const options = (html: string, label: string) => {
  const select = new RegExp(`<label[^>]*>${label}</label>[\\s\\S]*?<select[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
};

describe('ReportForm', () => {
  it('offers the known-vulnerability findings as a report of their own: CSV or JSON, as of a date, without profile or framework', () => {
    const html = render({ ...DEFAULT_REPORT_FORM, section: 'vulnerabilities', format: 'csv' });
    expect(options(html, 'Report')).toEqual(['compliance', 'vulnerabilities']);
    expect(options(html, 'Format')).toEqual(['csv', 'json']);
    expect(html).not.toContain('>Profile<');
    expect(html).not.toContain('Framework view');
    expect(html).toContain('As of (end of day, your time)');
    expect(html).toContain('known-vulnerability finding');
    expect(html).toContain('href="/api/v1/reports?format=csv&amp;scope=fleet&amp;waivers=true&amp;section=vulnerabilities"');
  });

  it('keeps every format, the profile and the framework view for the compliance report', () => {
    const html = render(DEFAULT_REPORT_FORM);
    expect(options(html, 'Format')).toEqual(['pdf', 'html', 'csv', 'json', 'oscal', 'xccdf', 'arf']);
    expect(html).toContain('>Profile<');
    expect(html).toContain('Framework view');
  });
});
