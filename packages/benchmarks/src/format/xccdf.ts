import { createHash } from 'node:crypto';
import type { Result, Status } from '../engine/types';
import type { Content } from '../load';
import { profileRules } from '../load';
import type { Rule } from '../schema';
import { SEVERITY_WEIGHTS } from '../schema';
import { compareSectionIds } from '../score';
import { attrsOf, el, ncToken, xmlAttr, xmlEscape } from './xml';

/**
 * XCCDF 1.2 (NIST IR 7275r4): a Benchmark describing our rules (groups by section, references,
 * SSG idents, profiles) and one TestResult per host. Pure string builders, in pieces, so the
 * server can stream a fleet (open, one TestResult per host, close) and the agent's scan can
 * write one document. Ids follow the 1.2 form `xccdf_<reverse-DNS>_<type>_<name>`.
 */
export const XCCDF_NS = 'http://checklists.nist.gov/xccdf/1.2';
const NS_ID = 'dev.plumbline';
const PLB = 'https://plumbline.dev/ns/xccdf';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
/** Our checks are the rules' conditions, evaluated by Plumbline; this names them for XCCDF tools. */
const CHECK_SYSTEM = 'https://plumbline.dev/ns/check';
const checkXml = (ruleId: string) =>
  `<check system="${CHECK_SYSTEM}"><check-content-ref href="https://plumbline.dev/rules" name="${xmlAttr(ruleId)}"/></check>`;

export const xccdfId = {
  benchmark: () => `xccdf_${NS_ID}_benchmark_plumbline`,
  rule: (ruleId: string) => `xccdf_${NS_ID}_rule_${ncToken(ruleId)}`,
  group: (sectionId: string) => `xccdf_${NS_ID}_group_section-${ncToken(sectionId)}`,
  profile: (profileId: string) => `xccdf_${NS_ID}_profile_${ncToken(profileId)}`,
  testResult: (name: string) => `xccdf_${NS_ID}_testresult_${ncToken(name)}`,
};

/** Where each kind of reference points; the text of the reference is the id within it. */
const REFERENCE_HREFS: Record<string, string> = {
  cis: 'https://www.cisecurity.org/cis-benchmarks',
  nist: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
  iso27001: 'https://www.iso.org/standard/27001',
  jcstar: 'https://www.ipa.go.jp/en/security/jc-star/index.html',
};
const SSG_SYSTEM = 'https://github.com/ComplianceAsCode/content';
const ssgXccdfId = (id: string) => `xccdf_org.ssgproject.content_rule_${id}`;

/** XCCDF has no `critical`; its highest severity is `high` (the weight keeps the difference). */
const severityOf = (s: Rule['severity']) => (s === 'critical' ? 'high' : s);

const versions = new WeakMap<Content, string>();
/** A Benchmark version for content: a digest of its rules, so a changed rule set reads as another version. */
export function contentVersion(content: Content): string {
  let v = versions.get(content);
  if (!v) {
    v = `sha256-${createHash('sha256').update(JSON.stringify(content.rules)).digest('hex').slice(0, 16)}`;
    versions.set(content, v);
  }
  return v;
}

export interface BenchmarkOptions {
  /** When the document was made: the status date. */
  generatedAt: Date;
  /** The benchmark's version (content version, or the tool's). */
  version: string;
}

function ruleXml(rule: Rule, indent: string): string {
  const refs = [
    ...(['cis', 'nist', 'iso27001', 'jcstar'] as const).flatMap((k) =>
      rule.references[k].map((id) => `${indent}  ${el('reference', k === 'cis' ? `CIS ${id}` : id, { href: REFERENCE_HREFS[k] })}`),
    ),
    ...rule.references.ssg.map((id) => `${indent}  ${el('reference', ssgXccdfId(id), { href: SSG_SYSTEM })}`),
  ];
  return [
    `${indent}<Rule${attrsOf({ id: xccdfId.rule(rule.id), selected: 'true', severity: severityOf(rule.severity), weight: SEVERITY_WEIGHTS[rule.severity] })}>`,
    `${indent}  ${el('title', rule.title)}`,
    `${indent}  ${el('description', rule.description)}`,
    ...refs,
    `${indent}  ${el('rationale', rule.rationale)}`,
    ...rule.references.ssg.map((id) => `${indent}  ${el('ident', ssgXccdfId(id), { system: SSG_SYSTEM })}`),
    `${indent}  ${checkXml(rule.id)}`,
    `${indent}</Rule>`,
  ].join('\n');
}

/**
 * The Benchmark's opening tag and everything before its TestResults: status, title, profiles
 * (each selecting its rules), one Group per section with its Rules. `standalone` adds the XML
 * declaration; inside an ARF report the Benchmark is one element among others.
 */
export function benchmarkOpen(content: Content, o: BenchmarkOptions, standalone = true): string {
  const date = o.generatedAt.toISOString().slice(0, 10);
  const profiles = [...content.profiles.values()].map((p) => {
    const members = new Set(profileRules(content, p).map((r) => r.id));
    const selects = content.rules.map((r) => `    <select idref="${xmlAttr(xccdfId.rule(r.id))}" selected="${members.has(r.id)}"/>`);
    return [
      `  <Profile id="${xmlAttr(xccdfId.profile(p.id))}">`,
      `    ${el('title', p.title)}`,
      `    ${el('description', p.description)}`,
      ...selects,
      '  </Profile>',
    ].join('\n');
  });
  const sections = new Map<string, { name: string; rules: Rule[] }>();
  for (const r of content.rules) {
    const s = sections.get(r.section.id) ?? { name: r.section.name, rules: [] };
    s.rules.push(r);
    sections.set(r.section.id, s);
  }
  const groups = [...sections.entries()]
    .sort(([a], [b]) => compareSectionIds(a, b))
    .map(([id, s]) =>
      [
        `  <Group id="${xmlAttr(xccdfId.group(id))}">`,
        `    ${el('title', `${id} ${s.name}`)}`,
        ...s.rules.sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => ruleXml(r, '    ')),
        '  </Group>',
      ].join('\n'),
    );
  return [
    ...(standalone ? ['<?xml version="1.0" encoding="UTF-8"?>'] : []),
    `<Benchmark xmlns="${XCCDF_NS}" id="${xccdfId.benchmark()}" resolved="true" xml:lang="en">`,
    `  <status date="${date}">accepted</status>`,
    '  <title>Plumbline hardening rules</title>',
    '  <description>Host hardening rules evaluated by Plumbline from collected facts, with their CIS, NIST SP 800-53, ISO/IEC 27001, JC-STAR and SCAP Security Guide references.</description>',
    `  ${el('version', o.version)}`,
    `  <metadata><dc:creator xmlns:dc="${DC_NS}">Plumbline</dc:creator><dc:publisher xmlns:dc="${DC_NS}">Plumbline</dc:publisher><dc:source xmlns:dc="${DC_NS}">https://plumbline.dev</dc:source></metadata>`,
    ...profiles,
    ...groups,
    '',
  ].join('\n');
}

export const benchmarkClose = () => '</Benchmark>\n';

/** A result as a TestResult needs it: the engine's result, with when its verdict was last seen to change. */
export interface ResultLike extends Result {
  changedAt?: Date;
}

export interface TestResultInput {
  /** Unique within the document (a host id, or a hostname for a one-host scan). */
  name: string;
  hostname: string;
  /** Extra target facts: `urn:...` name and value, all strings. */
  facts: [name: string, value: string][];
  /** Our profile id, when the rules were selected by one that the Benchmark carries. */
  profileId: string | null;
  startTime?: Date;
  endTime: Date;
  results: readonly ResultLike[];
  /** Severity-weighted scores (0-100), null when nothing passed or failed. */
  score: number | null;
  scoreWithWaivers: number | null;
  version: string;
}

const XCCDF_RESULT: Record<Status, string> = { pass: 'pass', fail: 'fail', notapplicable: 'notapplicable', error: 'error' };

function ruleResultXml(r: ResultLike, fallbackTime: Date): string {
  const messages = r.evidence.map((e) => {
    const text = `expected: ${e.expected}; observed: ${e.observed}${e.source ? `; where: ${e.source}` : ''}`;
    return `      ${el('message', text, { severity: r.status === 'error' ? 'error' : 'info' })}`;
  });
  // A waiver accepts the risk; the host still fails the rule, so the result stays `fail`.
  if (r.waived && r.waiver) {
    const w = r.waiver;
    messages.push(
      `      ${el('message', `waived: ${w.justification}; approved by ${w.approver}; expires ${new Date(w.expiresAt).toISOString()}`, { severity: 'info' })}`,
    );
  }
  const refs = r.references.ssg.map((id) => `      ${el('ident', ssgXccdfId(id), { system: SSG_SYSTEM })}`);
  return [
    `    <rule-result${attrsOf({ idref: xccdfId.rule(r.ruleId), severity: severityOf(r.severity), time: (r.changedAt ?? fallbackTime).toISOString(), weight: SEVERITY_WEIGHTS[r.severity] })}>`,
    `      <result>${XCCDF_RESULT[r.status]}</result>`,
    ...refs,
    ...messages,
    `      ${checkXml(r.ruleId)}`,
    '    </rule-result>',
  ].join('\n');
}

/**
 * One host's TestResult. Scores: the XCCDF flat model (weights of passed rules out of the
 * weights of passed and failed ones, so always defined), then Plumbline's percentages.
 */
export function testResultXml(t: TestResultInput, namespaced = false): string {
  let passW = 0;
  let maxW = 0;
  for (const r of t.results) {
    const w = SEVERITY_WEIGHTS[r.severity];
    if (r.status === 'pass') passW += w;
    if (r.status === 'pass' || r.status === 'fail') maxW += w;
  }
  const facts = [['urn:xccdf:fact:scanner:name', 'Plumbline'], ['urn:xccdf:fact:asset:identifier:host_name', t.hostname], ...t.facts].map(
    ([name, value]) => `      ${el('fact', value, { name, type: 'string' })}`,
  );
  const scores = [
    `    <score system="urn:xccdf:scoring:flat" maximum="${maxW}">${passW}</score>`,
    ...(t.score === null ? [] : [`    <score system="${PLB}/scoring/weighted" maximum="100">${t.score}</score>`]),
    ...(t.scoreWithWaivers === null
      ? []
      : [`    <score system="${PLB}/scoring/weighted-with-waivers" maximum="100">${t.scoreWithWaivers}</score>`]),
  ];
  return [
    `  <TestResult${attrsOf({ xmlns: namespaced ? XCCDF_NS : undefined, id: xccdfId.testResult(t.name), 'start-time': t.startTime?.toISOString(), 'end-time': t.endTime.toISOString(), 'test-system': 'cpe:/a:plumbline:plumbline', version: t.version })}>`,
    `    <benchmark href="#${xccdfId.benchmark()}" id="${xccdfId.benchmark()}"/>`,
    `    ${el('title', `Plumbline results for ${t.hostname}`)}`,
    ...(t.profileId ? [`    <profile idref="${xmlAttr(xccdfId.profile(t.profileId))}"/>`] : []),
    `    ${el('target', t.hostname)}`,
    '    <target-facts>',
    ...facts,
    '    </target-facts>',
    ...t.results.map((r) => ruleResultXml(r, t.endTime)),
    ...scores,
    '  </TestResult>',
    '',
  ].join('\n');
}

/** A whole XCCDF results document: the Benchmark with the given TestResults. */
export function xccdfDocument(content: Content, o: BenchmarkOptions, results: TestResultInput[]): string {
  return `${benchmarkOpen(content, o)}${results.map((t) => testResultXml(t)).join('')}${benchmarkClose()}`;
}

export { xmlEscape };
