import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledContent } from '../content';
import type { Status } from '../engine/types';
import { arfDocument } from './arf';
import { xccdfDocument, xccdfId, type ResultLike, type TestResultInput } from './xccdf';
import { xmlAttr, xmlEscape } from './xml';

/**
 * XCCDF 1.2 and ARF 1.1 as OpenSCAP's own validators see them (`oscap xccdf validate`, schema
 * and schematron; `oscap ds rds-validate`, the ARF schema), and well-formed whatever the hosts
 * put in their evidence. Without oscap the validator tests are skipped, except under CI=true,
 * where a missing oscap is a failure (the CI image installs openscap-scanner).
 */
const content = bundledContent();
const CI = process.env.CI === 'true';
const oscap = spawnSync('oscap', ['--version'], { encoding: 'utf8' });
const oscapMissing = oscap.error ? 'oscap is not installed (apt-get install openscap-scanner)' : null;
const dir = mkdtempSync(path.join(tmpdir(), 'plumbline-xccdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parses strictly (saxes: XML 1.0 well-formedness, namespaces); returns the text of every element by name. */
function parse(xml: string): { texts: Map<string, string[]>; attrs: Map<string, string[]> } {
  const texts = new Map<string, string[]>();
  const attrs = new Map<string, string[]>();
  const stack: string[] = [];
  let text = '';
  const p = new SaxesParser({ xmlns: true });
  p.on('error', (e) => {
    throw e;
  });
  p.on('opentag', (t) => {
    stack.push(t.local);
    text = '';
    for (const a of Object.values(t.attributes)) attrs.set(a.local, [...(attrs.get(a.local) ?? []), a.value]);
  });
  p.on('text', (t) => (text += t));
  p.on('closetag', (t) => {
    texts.set(t.local, [...(texts.get(t.local) ?? []), text]);
    stack.pop();
    text = '';
  });
  p.write(xml).close();
  return { texts, attrs };
}

const HOSTILE = [
  '<script>alert(1)</script>',
  'a & b',
  ']]>',
  'x]]>y<![CDATA[z',
  '"quoted" \'single\'',
  'ctl \u0000\u0001\u0008\u000b\u000c\u001f\u007f',
  'lone \ud800 surrogate \udfff',
  'non-chars \ufffe\uffff',
  'crlf\r\nline\ttab',
  '&amp; already escaped',
  'emoji \u{1f600}',
];
/** What a reader gets back: XML 1.0 cannot carry those characters, so they arrive as `\uXXXX` text. */
const readable = (s: string) =>
  s.replace(
    /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: fc.constantFrom('<', '>', '&', ']', '\r', '\n', '\t', '\u0000', '"', "'", 'a'), maxLength: 30 }),
);

describe('xml escaping', () => {
  it('round-trips any string through element text and attributes of a strict parser', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (t, a) => {
        const { texts, attrs } = parse(`<r v="${xmlAttr(a)}">${xmlEscape(t)}</r>`);
        expect(texts.get('r')).toEqual([readable(t)]);
        expect(attrs.get('v')).toEqual([readable(a)]);
      }),
      { numRuns: 500 },
    );
  });
});

function results(extra: string): ResultLike[] {
  const statuses: Status[] = ['pass', 'fail', 'notapplicable', 'error', 'fail'];
  return content.rules.slice(0, 25).map((r, i) => ({
    ruleId: r.id,
    title: r.title,
    severity: r.severity,
    levels: r.levels,
    section: r.section,
    status: statuses[i % statuses.length] as Status,
    evidence: [{ expected: `wanted ${extra}`, observed: `seen ${extra}`, source: `/etc/${extra}:3` }],
    references: r.references,
    changedAt: new Date('2026-06-01T10:00:00Z'),
    ...(i % 5 === 4
      ? {
          waived: true,
          waiver: {
            ruleId: r.id,
            justification: `risk accepted ${extra}`,
            approver: `ann ${extra}`,
            expiresAt: new Date('2026-12-31T00:00:00Z'),
          },
        }
      : {}),
  }));
}

const hosts: TestResultInput[] = HOSTILE.slice(0, 4).map((h, i) => ({
  name: `host-${i}`,
  hostname: i === 0 ? 'web-1.example.internal' : `odd ${h}`,
  facts: [
    ['urn:xccdf:fact:asset:identifier:fqdn', `odd ${h}`],
    ['https://plumbline.dev/ns/xccdf/fact/os', `Debian ${h}`],
  ],
  profileId: [...content.profiles.keys()][i % content.profiles.size] ?? null,
  endTime: new Date('2026-06-30T23:59:59Z'),
  results: results(HOSTILE.join(' ')),
  score: i === 3 ? null : 61.5,
  scoreWithWaivers: i === 3 ? null : 70,
  version: '1.0',
}));
const options = { generatedAt: new Date('2026-07-01T00:00:00Z'), version: '1.0' };

function validate(kind: 'xccdf' | 'arf', xml: string) {
  const file = path.join(dir, `doc-${kind}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('oscap', kind === 'xccdf' ? ['xccdf', 'validate', file] : ['ds', 'rds-validate', file], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('XCCDF 1.2 results', () => {
  const xml = xccdfDocument(content, options, hosts);

  it('is well-formed with hostile evidence and hostnames, and carries them as text', () => {
    const { texts } = parse(xml);
    expect(texts.get('TestResult')).toHaveLength(hosts.length);
    expect(texts.get('Rule')).toHaveLength(content.rules.length);
    expect(texts.get('message')?.some((m) => m.includes(readable(HOSTILE.join(' '))))).toBe(true);
    expect(texts.get('target')).toContain(`odd ${readable(HOSTILE[1] as string)}`);
  });

  it('names everything with valid NCName ids of the xccdf_<reverse-dns>_<type>_<name> form', () => {
    const { attrs } = parse(xml);
    const ncname = /^[A-Za-z_][A-Za-z0-9._-]*$/;
    for (const id of [...(attrs.get('id') ?? []), ...(attrs.get('idref') ?? [])]) {
      expect(id).toMatch(ncname);
      expect(id).toMatch(/^xccdf_[^_]+_(benchmark|rule|group|profile|testresult)_.+$/);
    }
    expect(xccdfId.testResult('odd <host> & co')).toBe('xccdf_dev.plumbline_testresult_odd__host____co');
  });

  it('maps every status to its XCCDF result and keeps a waived failure a failure', () => {
    const { texts } = parse(xml);
    expect(new Set(texts.get('result'))).toEqual(new Set(['pass', 'fail', 'notapplicable', 'error']));
    expect(texts.get('message')?.filter((m) => m.startsWith('waived: ')).length).toBe(5 * hosts.length);
  });

  it.runIf(oscapMissing !== null && CI)('has OpenSCAP installed in CI', () => {
    throw new Error(`CI=true but ${oscapMissing}`);
  });

  it.skipIf(oscapMissing !== null)('passes oscap xccdf validate (schema and schematron)', () => {
    const r = validate('xccdf', xml);
    expect(r.out).not.toMatch(/error/i);
    expect(r.code).toBe(0);
  });

  it.skipIf(oscapMissing !== null)('a schema fault is caught by the same validation', () => {
    const r = validate('xccdf', xml.replace('<result>pass</result>', '<result>passed</result>'));
    expect(r.code).not.toBe(0);
  });
});

describe('ARF 1.1 results', () => {
  const xml = arfDocument(content, options, hosts);

  it('is well-formed and holds one report per host and the Benchmark as its request', () => {
    const { texts } = parse(xml);
    expect(texts.get('report')).toHaveLength(hosts.length);
    expect(texts.get('asset')).toHaveLength(hosts.length);
    expect(texts.get('Benchmark')).toHaveLength(1);
    // Only the valid hostname becomes the asset's hostname: the schema restricts its characters.
    expect(texts.get('hostname')).toEqual(['web-1.example.internal']);
  });

  it('stays valid with no host at all', () => {
    expect(() => parse(arfDocument(content, options, []))).not.toThrow();
  });

  it.skipIf(oscapMissing !== null)('passes oscap ds rds-validate, with and without hosts', () => {
    for (const doc of [xml, arfDocument(content, options, [])]) {
      const r = validate('arf', doc);
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it.skipIf(oscapMissing !== null)('a schema fault in the collection is caught', () => {
    const r = validate('arf', xml.replace('<arf:report-requests>', '<arf:report-requests><arf:bogus/>'));
    expect(r.code).not.toBe(0);
  });
});
