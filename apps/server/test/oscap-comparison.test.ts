import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

/**
 * POST /api/v1/hosts/:id/oscap-comparison: an OpenSCAP result uploaded for a host is compared
 * with the host's latest results, rule by rule through the SSG references; bad uploads are 400
 * PLUMBLINE_ERR_NOT_OSCAP_RESULT, too large ones 413, and nothing is stored either way.
 */
const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');

const token = await createEnrollmentToken(t.db, { name: 'oscap', group: 'bastions' });
const agent = await TestAgent.connect(t.url, token);
agent.send(hello('bastion-1'));
const hostId = (await agent.next('welcome')).payload.hostId;
agent.send(snapshot(1, hostFacts('bastion-1', 'no')));
await agent.next('ack');

const RR = (id: string, result: string) =>
  `<rule-result idref="xccdf_org.ssgproject.content_rule_${id}" role="full"><result>${result}</result></rule-result>`;
const TEST_RESULT = (body: string) =>
  `<TestResult xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.open-scap_testresult_p" end-time="2026-12-06T08:00:04+00:00"><benchmark href="#b" id="xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04"/><profile idref="xccdf_org.ssgproject.content_profile_cis_level2_server"/><target>bastion-1</target>${body}</TestResult>`;
const XCCDF = `<?xml version="1.0" encoding="UTF-8"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04" resolved="1">
  ${TEST_RESULT(RR('sshd_disable_root_login', 'fail') + RR('package_gnome-initial-setup_removed', 'pass'))}
</Benchmark>`;
const ARF = `<arf:asset-report-collection xmlns:arf="http://scap.nist.gov/schema/asset-reporting-format/1.1"><arf:reports><arf:report id="x"><arf:content>${TEST_RESULT(RR('sshd_disable_root_login', 'pass'))}</arf:content></arf:report></arf:reports></arf:asset-report-collection>`;

const upload = async (body: string, { id = hostId, key = admin, type = 'application/xml' } = {}) => {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/hosts/${id}/oscap-comparison`,
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
};

describe('oscap-comparison', () => {
  it('compares an XCCDF result with the host latest results: the difference with our evidence and the documented why', async () => {
    const r = await upload(XCCDF);
    expect(r.status).toBe(200);
    expect(r.body.host).toEqual({ id: hostId, hostname: 'bastion-1' });
    expect(r.body.oscap).toMatchObject({
      format: 'xccdf',
      benchmark: 'xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04',
      target: 'bastion-1',
    });
    const root = r.body.rules.find((x: { ruleId: string }) => x.ruleId === 'plb-ssh-permit-root-login');
    expect(root).toMatchObject({
      outcome: 'differ',
      ours: 'pass',
      oscap: 'fail',
      ssg: { sshd_disable_root_login: 'fail' },
      documented: true,
    });
    expect(root.why).toMatch(/sshd_config/);
    expect(JSON.stringify(root.evidence)).toContain('/etc/ssh/sshd_config:3');
    expect(r.body.summary).toMatchObject({ compared: 1, agree: 0, differ: 1, documented: 1, unmapped: 1 });
    expect(r.body.unmapped).toEqual([{ ssg: 'package_gnome-initial-setup_removed', result: 'pass' }]);
  });

  it('reads an ARF report (text/xml too), and answers auditors', async () => {
    const r = await upload(ARF, { key: auditor, type: 'text/xml' });
    expect(r.status).toBe(200);
    expect(r.body.oscap.format).toBe('arf');
    expect(r.body.summary).toMatchObject({ compared: 1, agree: 1, differ: 0 });
  });

  it.each([
    ['plain text', 'not xml at all', /not well-formed XML/],
    [
      'a data stream, not a result',
      '<data-stream-collection xmlns="http://scap.nist.gov/schema/scap/source/1.2"/>',
      /not an OpenSCAP result/,
    ],
    [
      'a benchmark without TestResult',
      '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.ssgproject.content_benchmark_X"/>',
      /no TestResult/,
    ],
    [
      'another benchmark',
      '<TestResult xmlns="http://checklists.nist.gov/xccdf/1.2" id="t"><benchmark id="xccdf_org.cisecurity.benchmarks_benchmark_x"/><rule-result idref="xccdf_org.cisecurity.benchmarks_rule_1"><result>pass</result></rule-result></TestResult>',
      /not of SCAP Security Guide content/,
    ],
    [
      'an SSG result of rules we do not reference',
      TEST_RESULT(RR('package_gnome-initial-setup_removed', 'pass')),
      /none of the 1 evaluated/,
    ],
  ])('refuses %s with 400 PLUMBLINE_ERR_NOT_OSCAP_RESULT', async (_name, body, message) => {
    const r = await upload(body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('PLUMBLINE_ERR_NOT_OSCAP_RESULT');
    expect(r.body.message).toMatch(message);
    expect(r.body.message).not.toContain('\n');
  });

  it('refuses a JSON or empty body with 400, an unknown host with 404, an upload over the limit with 413', async () => {
    const json = await upload('{"a":1}', { type: 'application/json' });
    expect(json.status).toBe(400);
    expect(json.body.code).toBe('PLUMBLINE_ERR_NOT_OSCAP_RESULT');
    const empty = await upload('');
    expect(empty.status).toBe(400);
    expect((await upload(XCCDF, { id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const big = await upload(`<!-- ${'x'.repeat(33 * 1024 * 1024)} -->${XCCDF}`);
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PLUMBLINE_ERR_PAYLOAD_TOO_LARGE');
  });
});
