import type { Content } from '../load';
import { attrsOf, el, ncToken } from './xml';
import { benchmarkClose, benchmarkOpen, testResultXml, type BenchmarkOptions, type TestResultInput } from './xccdf';

/**
 * Asset Reporting Format 1.1 (NIST IR 7694), the result data stream OpenSCAP writes with
 * `--results-arf`: the Benchmark as the report request, one computing-device asset per host,
 * and per host a report holding its XCCDF TestResult, tied together by relationships
 * (`createdFor` the request, `isAbout` the asset). In pieces, so a fleet can be streamed.
 */
const ARF_NS = 'http://scap.nist.gov/schema/asset-reporting-format/1.1';
const CORE_NS = 'http://scap.nist.gov/schema/reporting-core/1.1';
const AI_NS = 'http://scap.nist.gov/schema/asset-identification/1.1';
const VOCAB = 'http://scap.nist.gov/specifications/arf/vocabulary/relationships/1.0#';

/** The asset identification schema's hostname and FQDN pattern; other names are left out. */
const HOSTNAME = /^[\w-]+(\.[\w-]+)*$/;

export interface ArfAsset {
  /** Unique within the document; the same name as the host's TestResult. */
  name: string;
  hostname: string;
}

const ids = (name: string) => ({ asset: `asset-${ncToken(name)}`, report: `report-${ncToken(name)}` });
const REQUEST = 'request-benchmark';

/** Everything up to the first report: relationships, the request (the Benchmark), the assets. */
export function arfOpen(content: Content, o: BenchmarkOptions, assets: readonly ArfAsset[]): string {
  const relationships = assets.flatMap((a) => {
    const i = ids(a.name);
    return [
      `    <core:relationship type="arfvocab:createdFor" subject="${i.report}"><core:ref>${REQUEST}</core:ref></core:relationship>`,
      `    <core:relationship type="arfvocab:isAbout" subject="${i.report}"><core:ref>${i.asset}</core:ref></core:relationship>`,
    ];
  });
  const assetXml = assets.map((a) => {
    const name = HOSTNAME.test(a.hostname) && a.hostname.length <= 255 ? a.hostname : null;
    const inner = name ? `${el('ai:fqdn', name)}${el('ai:hostname', name)}` : '';
    return `    <arf:asset${attrsOf({ id: ids(a.name).asset })}><ai:computing-device>${inner}</ai:computing-device></arf:asset>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<arf:asset-report-collection xmlns:arf="${ARF_NS}" xmlns:core="${CORE_NS}" xmlns:ai="${AI_NS}" xmlns:arfvocab="${VOCAB}">`,
    ...(relationships.length ? ['  <core:relationships>', ...relationships, '  </core:relationships>'] : []),
    '  <arf:report-requests>',
    `    <arf:report-request id="${REQUEST}">`,
    '      <arf:content>',
    benchmarkOpen(content, o, false) + benchmarkClose(),
    '      </arf:content>',
    '    </arf:report-request>',
    '  </arf:report-requests>',
    ...(assetXml.length ? ['  <arf:assets>', ...assetXml, '  </arf:assets>'] : []),
    '  <arf:reports>',
    '',
  ].join('\n');
}

/** One host's report: its TestResult. */
export function arfReport(t: TestResultInput): string {
  return `    <arf:report id="${ids(t.name).report}">\n      <arf:content>\n${testResultXml(t, true)}      </arf:content>\n    </arf:report>\n`;
}

/**
 * Closes the collection. ARF requires at least one report: a scope without hosts gets an
 * empty TestResult-free report that says so.
 */
export function arfClose(reports: number): string {
  const none =
    reports === 0
      ? `    <arf:report id="report-none"><arf:content><plb:none xmlns:plb="https://plumbline.dev/ns/arf">no host in scope</plb:none></arf:content></arf:report>\n`
      : '';
  return `${none}  </arf:reports>\n</arf:asset-report-collection>\n`;
}

/** A whole ARF document for the given hosts' results. */
export function arfDocument(content: Content, o: BenchmarkOptions, results: TestResultInput[]): string {
  return `${arfOpen(
    content,
    o,
    results.map((t) => ({ name: t.name, hostname: t.hostname })),
  )}${results.map(arfReport).join('')}${arfClose(results.length)}`;
}
