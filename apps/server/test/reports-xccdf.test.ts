import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from './helper';
import { reportFleet, ROOT_LOGIN } from './reports-fixture';

/**
 * `format=xccdf|arf` from a real server and database: the fixture fleet (one host failing the
 * root-login rule with evidence full of markup) as XCCDF 1.2 and ARF that OpenSCAP's validators
 * accept. Without oscap the validation is skipped, except under CI=true, where it fails.
 */
const t = await build();
const { admin, hosts } = await reportFleet(t);
const dir = mkdtempSync(path.join(tmpdir(), 'plumbline-report-xml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const oscapMissing = spawnSync('oscap', ['--version']).error ? 'oscap is not installed (apt-get install openscap-scanner)' : null;
const CI = process.env.CI === 'true';

const get = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/reports?${query}`, headers: { authorization: `Bearer ${admin}` } });
  return { status: res.statusCode, headers: res.headers, text: res.body };
};

function oscap(args: string[], xml: string, name: string) {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  const r = spawnSync('oscap', [...args, file], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('XCCDF and ARF reports', () => {
  it('XCCDF: the Benchmark with a TestResult per host, the failure and its escaped evidence', async () => {
    const res = await get('format=xccdf');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/\.xccdf\.xml"$/);
    expect(res.headers['x-plumbline-signature']).toEqual(expect.any(String));
    const x = res.text;
    expect(x.match(/<TestResult /g)).toHaveLength(2);
    for (const id of Object.values(hosts)) expect(x).toContain(`id="xccdf_dev.plumbline_testresult_${id}"`);
    const web1 = x.slice(x.indexOf(`testresult_${hosts['web-1']}`));
    const rr = web1.slice(web1.indexOf(`idref="xccdf_dev.plumbline_rule_${ROOT_LOGIN}"`));
    expect(rr.slice(0, rr.indexOf('</rule-result>'))).toMatch(/<result>fail<\/result>[\s\S]*&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    expect(x).not.toContain('<script>');
    expect(x).toMatch(/<reference href="https:\/\/www.cisecurity.org\/cis-benchmarks">CIS \d/);
    expect(x).toMatch(/<ident system="https:\/\/github.com\/ComplianceAsCode\/content">xccdf_org.ssgproject.content_rule_/);
  });

  it('ARF: a report per host, each about its asset and for the Benchmark request', async () => {
    const res = await get('format=arf&scope=group:web');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/\.arf\.xml"$/);
    expect(res.text.match(/<arf:report id=/g)).toHaveLength(1);
    expect(res.text).toContain(
      `<core:relationship type="arfvocab:isAbout" subject="report-${hosts['web-1']}"><core:ref>asset-${hosts['web-1']}</core:ref>`,
    );
    expect(res.text).toContain('<ai:hostname>web-1</ai:hostname>');
  });

  it.runIf(oscapMissing !== null && CI)('has OpenSCAP installed in CI', () => {
    throw new Error(`CI=true but ${oscapMissing}`);
  });

  it.skipIf(oscapMissing !== null)('oscap xccdf validate and oscap ds rds-validate accept them', async () => {
    const xccdf = oscap(['xccdf', 'validate'], (await get('format=xccdf&profile=cis-l1-server')).text, 'r.xccdf.xml');
    expect(xccdf.out).not.toMatch(/error/i);
    expect(xccdf.code).toBe(0);
    const arf = oscap(['ds', 'rds-validate'], (await get('format=arf')).text, 'r.arf.xml');
    expect(arf.out).toBe('');
    expect(arf.code).toBe(0);
  });
});
