import { describe, expect, it } from 'vitest';
import {
  asOfInstant,
  DEFAULT_REPORT_FORM,
  filenameFrom,
  parseReportForm,
  reportFormSearch,
  reportRequest,
  signatureFileOf,
} from './report-form';

const HOST = '6f1c2a9e-1b2c-4d3e-8f40-123456789abc';
const now = new Date(2026, 5, 30, 15, 0, 0); // 30 June 2026, 15:00 local

describe('parseReportForm / reportFormSearch', () => {
  it('reads a shared link and writes it back the same', () => {
    const qs = `format=csv&scope=group%3Amqtt-broker&profile=edge-device&framework=nist&waivers=false&asOf=2026-06-01`;
    const form = parseReportForm(new URLSearchParams(qs));
    expect(form).toEqual({
      section: 'compliance',
      format: 'csv',
      scopeKind: 'group',
      scopeValue: 'mqtt-broker',
      profile: 'edge-device',
      framework: 'nist',
      waivers: false,
      asOf: '2026-06-01',
    });
    expect(reportFormSearch(form).toString()).toBe(qs);
  });

  it('falls back to the defaults on unknown values', () => {
    expect(parseReportForm(new URLSearchParams('format=docx&scope=planet:mars&profile=x&framework=sox&asOf=yesterday'))).toEqual(
      DEFAULT_REPORT_FORM,
    );
    expect(reportFormSearch(DEFAULT_REPORT_FORM).toString()).toBe('');
  });

  it('reads and writes the known-vulnerability report, in a format it comes in', () => {
    const qs = 'section=vulnerabilities&format=json&scope=tag%3Admz&asOf=2026-06-01';
    const form = parseReportForm(new URLSearchParams(qs));
    expect(form).toMatchObject({ section: 'vulnerabilities', format: 'json', scopeKind: 'tag', scopeValue: 'dmz' });
    expect(reportFormSearch(form).toString()).toBe(qs);
    // A link naming a format findings do not come in (PDF, the default) opens on CSV.
    expect(parseReportForm(new URLSearchParams('section=vulnerabilities'))).toMatchObject({ section: 'vulnerabilities', format: 'csv' });
    expect(parseReportForm(new URLSearchParams('section=exposure&format=html'))).toMatchObject({ section: 'compliance', format: 'html' });
  });

  it('keeps a chosen scope kind before its value is chosen', () => {
    const form = parseReportForm(new URLSearchParams('scope=group:'));
    expect(form).toMatchObject({ scopeKind: 'group', scopeValue: '' });
    expect(reportFormSearch(form).get('scope')).toBe('group:');
  });

  it('keeps a host scope with its id', () => {
    expect(parseReportForm(new URLSearchParams(`scope=host:${HOST}`))).toMatchObject({ scopeKind: 'host', scopeValue: HOST });
  });
});

describe('asOfInstant', () => {
  it('is the end of a past local day', () => {
    expect(asOfInstant('2026-06-01', now)).toBe(new Date(2026, 5, 1, 23, 59, 59, 999).toISOString());
  });
  it('is now for today or a later day (the server refuses the future)', () => {
    expect(asOfInstant('2026-06-30', now)).toBe(now.toISOString());
    expect(asOfInstant('2027-01-01', now)).toBe(now.toISOString());
  });
  it('is null for what is not a date', () => {
    expect(asOfInstant('30/06/2026', now)).toBeNull();
  });
});

describe('reportRequest', () => {
  it('builds the API query and link', () => {
    const r = reportRequest(
      { ...DEFAULT_REPORT_FORM, format: 'html', scopeKind: 'host', scopeValue: HOST, framework: 'cis', asOf: '2026-06-01' },
      now,
    );
    expect(r).toEqual({
      ok: true,
      query: {
        format: 'html',
        scope: `host:${HOST}`,
        waivers: 'true',
        framework: 'cis',
        asOf: new Date(2026, 5, 1, 23, 59, 59, 999).toISOString(),
      },
      href: expect.stringMatching(/^\/api\/v1\/reports\?format=html&scope=host%3A6f1c2a9e-[^&]+&waivers=true&framework=cis&asOf=2026-0/),
    });
  });

  it('asks for the group, tag or host of a scope', () => {
    expect(reportRequest({ ...DEFAULT_REPORT_FORM, scopeKind: 'tag', scopeValue: ' ' }, now)).toEqual({
      ok: false,
      error: 'Enter the tag to report on.',
    });
    expect(reportRequest({ ...DEFAULT_REPORT_FORM, scopeKind: 'host', scopeValue: 'web-1' }, now)).toEqual({
      ok: false,
      error: 'Choose the host from the list (a host is named by its id).',
    });
  });

  it('asks the API for the findings as of the date: section=vulnerabilities, no profile or framework (they choose rules)', () => {
    const form = {
      ...DEFAULT_REPORT_FORM,
      section: 'vulnerabilities' as const,
      format: 'csv' as const,
      profile: 'cis-l1-server',
      framework: 'nist',
    };
    const r = reportRequest({ ...form, asOf: '2026-06-01' }, now);
    expect(r).toEqual({
      ok: true,
      query: {
        format: 'csv',
        scope: 'fleet',
        waivers: 'true',
        section: 'vulnerabilities',
        asOf: new Date(2026, 5, 1, 23, 59, 59, 999).toISOString(),
      },
      href: expect.stringMatching(/^\/api\/v1\/reports\?format=csv&scope=fleet&waivers=true&section=vulnerabilities&asOf=2026-0/),
    });
    expect(reportRequest({ ...form, format: 'json' }, now)).toMatchObject({
      ok: true,
      query: { format: 'json', section: 'vulnerabilities' },
    });
    expect(reportRequest({ ...form, format: 'pdf' }, now)).toEqual({
      ok: false,
      error: 'Known vulnerabilities are exported as CSV or JSON.',
    });
  });

  it('reports on the whole fleet without waivers', () => {
    expect(reportRequest({ ...DEFAULT_REPORT_FORM, waivers: false }, now)).toMatchObject({
      ok: true,
      query: { format: 'pdf', scope: 'fleet', waivers: 'false' },
    });
  });
});

describe('filenameFrom', () => {
  it.each([
    ['attachment; filename="plumbline-report-fleet-2026-06-30-235959.pdf"', 'plumbline-report-fleet-2026-06-30-235959.pdf'],
    ['attachment; filename="../../etc/passwd"', 'report.pdf'],
    [null, 'report.pdf'],
  ])('%s', (header, name) => {
    expect(filenameFrom(header, 'report.pdf')).toBe(name);
  });
});

describe('signatureFileOf', () => {
  it('writes the file plumbline verify reads', () => {
    const text = signatureFileOf(
      { signature: 'c2ln', algorithm: 'ed25519-sha512', keyId: 'abc', sha256: 'ff', bytes: 12 },
      { fingerprint: 'SHA256:xyz', publicKey: '-----BEGIN PUBLIC KEY-----\n...' },
      new Date('2026-06-30T10:00:00Z'),
    );
    expect(JSON.parse(text)).toEqual({
      format: 'plumbline-report-signature',
      version: 1,
      algorithm: 'ed25519-sha512',
      keyId: 'abc',
      fingerprint: 'SHA256:xyz',
      signature: 'c2ln',
      sha256: 'ff',
      bytes: 12,
      signedAt: '2026-06-30T10:00:00.000Z',
      publicKey: '-----BEGIN PUBLIC KEY-----\n...',
    });
  });
});
