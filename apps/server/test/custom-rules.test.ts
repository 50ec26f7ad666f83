import type { InjectOptions } from 'fastify';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { registerRuleCommands } from '../src/cli/rules';
import { CliError } from '../src/cli/printer';
import type { Database } from '../src/db/open';
import { PolicyService } from '../src/policy/policy';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { apiCaller, build, ruleStatus, until } from './helper';
import { siteRuleFile } from './rule-files';

const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const request = apiCaller(t, admin);
const call = (method: InjectOptions['method'], url: string, payload?: unknown, key = admin) => request(method, url, key, payload);
const statusOf = (hostId: string, ruleId: string) => ruleStatus(request, hostId, ruleId);

const SITE_RULE = 'plb-site-root-login';

// Two hosts that allow root logins: one in the group that will enable the file, one elsewhere.
await call('PUT', '/api/v1/groups/web', { profileId: 'cis-l1-server' });
await call('PUT', '/api/v1/groups/db', { profileId: 'cis-l1-server' });
async function enroll(hostname: string, group: string): Promise<{ agent: TestAgent; hostId: string }> {
  const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: hostname, group }));
  agent.send(hello(hostname));
  const hostId = (await agent.next('welcome')).payload.hostId as string;
  agent.send(snapshot(1, hostFacts(hostname, 'yes')));
  await agent.next('ack');
  return { agent, hostId };
}
const web = await enroll('web-1', 'web');
const dbHost = await enroll('db-1', 'db');

describe('custom rule upload', () => {
  it('stores a valid file as version 1 and lists its rules in the catalogue, marked custom', async () => {
    const res = await call('POST', '/api/v1/rules/custom', { name: 'site', source: siteRuleFile(SITE_RULE, 'no') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'site', version: 1, ruleIds: [SITE_RULE], sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const rule = (await call('GET', `/api/v1/rules/${SITE_RULE}`)).body;
    expect(rule).toMatchObject({ id: SITE_RULE, severity: 'high', custom: { file: 'site', version: 1 } });
    const catalogue = (await call('GET', '/api/v1/rules?limit=1000&q=site policy')).body;
    expect(catalogue.items.map((r: { id: string }) => r.id)).toContain(SITE_RULE);
    // Uploaded, but no group enables it yet.
    expect(await statusOf(web.hostId, SITE_RULE)).toBe('absent');
  });

  it('judges the hosts of a group that enables the file, from their stored facts, and no others', async () => {
    const res = await call('PUT', '/api/v1/groups/web/custom-rules', { files: ['site'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ group: 'web', files: ['site'] });
    await until(async () => (await statusOf(web.hostId, SITE_RULE)) === 'fail');
    expect(await statusOf(web.hostId, SITE_RULE)).toBe('fail');
    expect(await statusOf(dbHost.hostId, SITE_RULE)).toBe('absent');
    expect((await call('GET', `/api/v1/rules/${SITE_RULE}/hosts`)).body.items.map((i: { host: { id: string } }) => i.host.id)).toEqual([
      web.hostId,
    ]);
    expect((await call('GET', '/api/v1/groups')).body.items.find((g: { name: string }) => g.name === 'web').customRules).toEqual(['site']);
  });

  it('a new snapshot from the agent is judged by the custom rule too', async () => {
    web.agent.send(snapshot(2, hostFacts('web-1', 'no')));
    await web.agent.next('ack');
    expect(await statusOf(web.hostId, SITE_RULE)).toBe('pass');
  });

  it('refuses a file naming an unknown fact with the line of the problem, storing nothing', async () => {
    const source = siteRuleFile('plb-site-other', 'no', 'no_such_fact');
    const line = source.split('\n').findIndex((l) => l.includes('no_such_fact')) + 1;
    const res = await call('POST', '/api/v1/rules/custom', { name: 'broken', source });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PLUMBLINE_ERR_RULES_INVALID');
    expect(res.body.errors).toEqual([expect.objectContaining({ line, message: expect.stringContaining("unknown fact 'no_such_fact'") })]);
    expect((await call('GET', '/api/v1/rules/custom?name=broken')).body.total).toBe(0);
    expect((await call('GET', '/api/v1/rules/custom/broken')).status).toBe(404);
    const yamlError = await call('POST', '/api/v1/rules/custom', { name: 'broken', source: 'rules: [\n  - id: x\n' });
    expect(yamlError.status).toBe(400);
    expect(yamlError.body.errors[0].line).toBeGreaterThan(0);
  });

  it('refuses ids of bundled rules and of another file', async () => {
    const bundled = await call('POST', '/api/v1/rules/custom', { name: 'copy', source: siteRuleFile('plb-ssh-permit-root-login', 'no') });
    expect(bundled.status).toBe(400);
    expect(bundled.body.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining('bundled') });
    const other = await call('POST', '/api/v1/rules/custom', { name: 'copy', source: siteRuleFile(SITE_RULE, 'no') });
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining("custom rule file 'site'") });
    expect((await call('GET', '/api/v1/rules/custom?name=copy')).body.total).toBe(0);
  });

  it('a second upload of the same name is version 2, and the enabling group is judged by it at once', async () => {
    const res = await call('POST', '/api/v1/rules/custom', { name: 'site', source: siteRuleFile(SITE_RULE, 'yes') });
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(2);
    await until(async () => (await statusOf(web.hostId, SITE_RULE)) === 'fail');
    expect(await statusOf(web.hostId, SITE_RULE)).toBe('fail');
    const versions = (await call('GET', '/api/v1/rules/custom?name=site')).body;
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const latest = (await call('GET', '/api/v1/rules/custom/site')).body;
    expect(latest).toMatchObject({ version: 2, uploadedBy: 'apikey:admin' });
    expect(latest.source).toContain("value: 'yes'");
    expect((await call('GET', '/api/v1/rules/custom/site?version=1')).body.source).toContain("value: 'no'");
  });

  it('another replica (a fresh policy service) judges the group by the latest version from the database', async () => {
    const replica = new PolicyService(t.db.prisma);
    expect(replica.rule(SITE_RULE)).toBeUndefined();
    const selection = await replica.selectionFor('web');
    const rule = selection.rules.find((r) => r.id === SITE_RULE);
    expect(rule?.check).toMatchObject({ value: 'yes' });
    expect(replica.customRule(SITE_RULE)).toMatchObject({ file: 'site', version: 2 });
    expect((await replica.selectionFor('db')).rules.some((r) => r.id === SITE_RULE)).toBe(false);
    const other = new PolicyService(t.db.prisma);
    await other.knowRules([SITE_RULE]);
    expect(other.rule(SITE_RULE)?.title).toBe('Root may not log in over SSH (site policy)');
  });

  it('auditors may read but not upload, enable or retire', async () => {
    expect((await call('POST', '/api/v1/rules/custom', { name: 'aud', source: siteRuleFile('plb-site-aud', 'no') }, auditor)).status).toBe(
      403,
    );
    expect((await call('PUT', '/api/v1/groups/db/custom-rules', { files: ['site'] }, auditor)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/rules/custom/site', undefined, auditor)).status).toBe(403);
    expect((await call('GET', '/api/v1/rules/custom', undefined, auditor)).body.total).toBe(2);
    expect((await call('PUT', '/api/v1/groups/db/custom-rules', { files: ['nope'] })).status).toBe(400);
  });

  it('audits uploads and enables', async () => {
    const audit = (await call('GET', '/api/v1/audit?limit=1000')).body.items as { action: string; target: string }[];
    const actions = audit.map((e) => `${e.action} ${e.target}`);
    expect(actions.filter((a) => a === 'rules.upload site')).toHaveLength(2);
    expect(actions).toContain('group.custom-rules web');
  });

  it('retiring a file takes its rules out of the group and the catalogue', async () => {
    expect((await call('DELETE', '/api/v1/rules/custom/site')).status).toBe(204);
    await until(async () => (await statusOf(web.hostId, SITE_RULE)) === 'absent');
    expect(await statusOf(web.hostId, SITE_RULE)).toBe('absent');
    expect((await call('GET', '/api/v1/groups')).body.items.find((g: { name: string }) => g.name === 'web').customRules).toEqual([]);
    expect((await call('GET', '/api/v1/rules?limit=1000&q=site policy')).body.total).toBe(0);
    expect((await call('DELETE', '/api/v1/rules/custom/site')).status).toBe(404);
  });
});

const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-rules-cli-'));

describe('plumbline rules upload', () => {
  async function cli(...args: string[]): Promise<number> {
    const program = new Command('plumbline').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    registerRuleCommands(program, <T>(fn: (db: Database) => Promise<T>) => fn(t.db));
    return program.parseAsync(['node', 'plumbline', ...args]).then(
      () => 0,
      (e: unknown) => (e instanceof CliError ? e.exitCode : ((e as { exitCode?: number }).exitCode ?? -1)),
    );
  }

  it('stores a valid file under its file name, exit 0; an invalid or missing file exits 2 and stores nothing', async () => {
    await writeFile(path.join(dir, 'cli-site.yaml'), siteRuleFile('plb-cli-root-login', 'no'));
    expect(await cli('rules', 'upload', path.join(dir, 'cli-site.yaml'))).toBe(0);
    expect((await call('GET', '/api/v1/rules/custom/cli-site')).body).toMatchObject({
      version: 1,
      uploadedBy: 'cli',
      ruleIds: ['plb-cli-root-login'],
    });
    await writeFile(path.join(dir, 'bad.yaml'), siteRuleFile('plb-cli-bad', 'no', 'no_such_fact'));
    expect(await cli('rules', 'upload', path.join(dir, 'bad.yaml'), '--name', 'cli-bad')).toBe(2);
    expect((await call('GET', '/api/v1/rules/custom?name=cli-bad')).body.total).toBe(0);
    expect(await cli('rules', 'upload', path.join(dir, 'missing.yaml'))).toBe(2);
    expect(await cli('rules', 'list')).toBe(0);
    web.agent.close();
    dbHost.agent.close();
  });
});
