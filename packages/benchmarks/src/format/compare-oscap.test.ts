import { describe, expect, it } from 'vitest';
import type { Result } from '../engine/types';
import type { Rule } from '../schema';
import { OscapInputError, assertComparable, compareWithOscap, oscapVerdict, parseOscapResult, renderComparison } from './compare-oscap';

const NS = 'http://checklists.nist.gov/xccdf/1.2';
const RR = (id: string, result: string) =>
  `<rule-result idref="xccdf_org.ssgproject.content_rule_${id}"><result>${result}</result></rule-result>`;
const TR = (body: string, end = '2026-12-01T10:00:05+00:00', target = 'web1') =>
  `<TestResult xmlns="${NS}" id="xccdf_org.open-scap_testresult_p" end-time="${end}"><benchmark href="#x" id="xccdf_org.ssgproject.content_benchmark_DEBIAN-12"/><profile idref="xccdf_org.ssgproject.content_profile_cis_level2_server"/><target>${target}</target>${body}</TestResult>`;

const problem = (text: string) => {
  try {
    parseOscapResult(text);
  } catch (e) {
    if (e instanceof OscapInputError) return [e.problem, e.message] as const;
    throw e;
  }
  return null;
};

const rule = (id: string, ssg: string[], oscap?: Rule['oscap']): Rule =>
  ({ id, title: id, references: { cis: [], ssg, nist: [], iso27001: [], jcstar: [] }, oscap }) as unknown as Rule;
const result = (ruleId: string, status: Result['status']): Result => ({
  ruleId,
  title: ruleId,
  severity: 'medium',
  levels: ['l1'],
  section: { id: '1', name: 'x' },
  status,
  evidence: [{ expected: 'x', observed: `seen ${status}`, source: '/etc/x:1' }],
  references: { cis: [], ssg: [], nist: [], iso27001: [], jcstar: [] },
});

describe('parseOscapResult', () => {
  it('reads a bare TestResult, dropping notselected and keeping other results', () => {
    const f = parseOscapResult(`\ufeff<?xml version="1.0"?>${TR(RR('a', 'pass') + RR('b', 'notselected') + RR('c', 'notapplicable'))}`);
    expect(f.format).toBe('xccdf');
    expect(f.benchmark).toBe('xccdf_org.ssgproject.content_benchmark_DEBIAN-12');
    expect(f.testResult).toMatchObject({ profile: 'xccdf_org.ssgproject.content_profile_cis_level2_server', target: 'web1' });
    expect([...f.results]).toEqual([
      ['a', 'pass'],
      ['c', 'notapplicable'],
    ]);
  });

  it('reads the TestResult of an ARF report, not the Benchmark in its request, and the latest of several', () => {
    const arf = `<arf:asset-report-collection xmlns:arf="http://scap.nist.gov/schema/asset-reporting-format/1.1">
      <arf:report-requests><arf:report-request id="r"><arf:content><Benchmark xmlns="${NS}" id="xccdf_org.ssgproject.content_benchmark_DEBIAN-12"><Rule id="xccdf_org.ssgproject.content_rule_a"/></Benchmark></arf:content></arf:report-request></arf:report-requests>
      <arf:reports>
        <arf:report id="x2"><arf:content>${TR(RR('a', 'fail'), '2026-12-02T00:00:00+00:00', 'new')}</arf:content></arf:report>
        <arf:report id="x1"><arf:content>${TR(RR('a', 'pass'), '2026-12-01T00:00:00+00:00', 'old')}</arf:content></arf:report>
      </arf:reports></arf:asset-report-collection>`;
    const f = parseOscapResult(arf);
    expect(f.format).toBe('arf');
    expect(f.testResults).toBe(2);
    expect(f.testResult.target).toBe('new');
    expect(f.results.get('a')).toBe('fail');
  });

  it('names what is wrong with a file that is no SSG result', () => {
    expect(problem('not xml')?.[0]).toBe('not-xml');
    expect(problem('')?.[0]).toBe('not-xml');
    // No DTD is read: an entity it would define stays undefined, and the document is refused.
    expect(problem(`<!DOCTYPE x [<!ENTITY e "boom">]><TestResult xmlns="${NS}" id="t">&e;</TestResult>`)?.[0]).toBe('not-xml');
    expect(problem('<data-stream-collection xmlns="http://scap.nist.gov/schema/scap/source/1.2"/>')?.[0]).toBe('not-a-result');
    expect(problem(`<TestResult id="t"/>`)?.[0]).toBe('not-a-result'); // no namespace: not XCCDF 1.2
    expect(problem(`<Benchmark xmlns="${NS}" id="xccdf_org.ssgproject.content_benchmark_X"/>`)?.[0]).toBe('no-test-result');
    expect(
      problem(`<TestResult xmlns="${NS}" id="t"><benchmark id="xccdf_com.example_benchmark_b"/>${RR('a', 'pass')}</TestResult>`)?.[0],
    ).toBe('other-benchmark');
    expect(
      problem(
        `<TestResult xmlns="${NS}" id="t"><rule-result idref="xccdf_com.example_rule_a"><result>pass</result></rule-result></TestResult>`,
      )?.[0],
    ).toBe('other-benchmark');
    for (const bad of ['not xml', '<html/>']) expect(problem(bad)?.[1]).not.toContain('\n');
  });
});

describe('compareWithOscap', () => {
  const rules = new Map(
    [
      rule('plb-a', ['a']),
      rule('plb-b', ['b'], { differs: true, why: 'SSG reads only the main file; drop-ins decide' }),
      rule('plb-svc', ['pkg_removed', 'svc_disabled'], { alternatives: [['pkg_removed', 'svc_disabled']] }),
      rule('plb-two', ['x', 'y']),
      rule('plb-none', []),
      rule('plb-other', ['zzz']),
    ].map((r) => [r.id, r]),
  );

  it('agree, differ (with evidence and the documented why), not compared, unmapped', () => {
    const f = parseOscapResult(
      TR(
        RR('a', 'pass') +
          RR('b', 'fail') +
          RR('pkg_removed', 'fail') +
          RR('svc_disabled', 'pass') +
          RR('x', 'pass') +
          RR('y', 'error') +
          RR('unreferenced', 'fail'),
      ),
    );
    const c = compareWithOscap(
      rules,
      [result('plb-a', 'pass'), result('plb-b', 'pass'), result('plb-svc', 'pass'), result('plb-two', 'fail'), result('plb-other', 'pass')],
      f,
    );
    const by = new Map(c.rules.map((r) => [r.ruleId, r]));
    expect(by.get('plb-a')).toMatchObject({ outcome: 'agree', evidence: [] });
    expect(by.get('plb-b')).toMatchObject({ outcome: 'differ', ours: 'pass', oscap: 'fail', documented: true });
    expect(by.get('plb-b')?.evidence[0]?.observed).toBe('seen pass');
    expect(by.get('plb-svc')).toMatchObject({ outcome: 'agree', oscap: 'pass' }); // one alternative passing is enough
    expect(by.get('plb-two')).toMatchObject({ outcome: 'not-compared', oscap: null });
    expect(by.has('plb-other')).toBe(false); // its SSG rule is not in the file
    expect(c.summary).toEqual({ compared: 3, agree: 2, differ: 1, documented: 1, notCompared: 1, unmapped: 1 });
    expect(c.unmapped).toEqual([{ ssg: 'unreferenced', result: 'fail' }]);
    expect(c.rules[0]?.ruleId).toBe('plb-b'); // differences first

    const text = renderComparison(c, { host: 'web1' });
    expect(text).toContain('plb-b: ours pass, OpenSCAP fail  [b fail]');
    expect(text).toContain('ours: expected x; observed seen pass [/etc/x:1]');
    expect(text).toContain('why (documented): SSG reads only the main file; drop-ins decide');
    expect(text).toContain('3 compared: 2 agree, 1 differ (1 documented); 1 not compared; 1 OpenSCAP rule-results');
  });

  it('refuses a result none of whose rules we reference', () => {
    const c = compareWithOscap(rules, [result('plb-a', 'pass')], parseOscapResult(TR(RR('unreferenced', 'pass'))));
    expect(() => assertComparable(c)).toThrow(OscapInputError);
  });

  it('oscapVerdict: a fail decides, every part must be known to pass, all notapplicable is notapplicable', () => {
    const r = rule('r', ['x', 'y']);
    const v = (x: string, y?: string) => oscapVerdict(r, new Map(Object.entries(y ? { x, y } : { x })));
    expect(v('fail')).toBe('fail');
    expect(v('pass')).toBe(null);
    expect(v('pass', 'pass')).toBe('pass');
    expect(v('pass', 'notapplicable')).toBe('pass');
    expect(v('notapplicable', 'notapplicable')).toBe('notapplicable');
    expect(v('pass', 'error')).toBe(null);
  });
});
