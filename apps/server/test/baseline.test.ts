import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { verifyAudit } from '../src/audit/repository';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { apiCaller, build, onPostgres, racingWriter } from './helper';

const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const operator = await createApiKey(t.db, 'ops', 'operator');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const ROOT_LOGIN = 'plb-ssh-permit-root-login';
const ROOT_PATH = 'sshd_config.settings.permitrootlogin.value';

const call = apiCaller(t, admin);
const ROOT_SETTING = 'sshd_config.settings.permitrootlogin';
/** The host's drift events that differ from the baseline or come back to it (a mark on the fact or compliance event). */
const baselineDrift = async (hostId: string) => {
  const [differs, restored] = await Promise.all(
    ['differs', 'restored'].map(async (b) => (await call('GET', `/api/v1/drift?host=${hostId}&baseline=${b}&limit=100`, auditor)).body),
  );
  return { items: [...differs.items, ...restored.items], total: differs.total + restored.total };
};
const auditActions = async () =>
  (await call('GET', '/api/v1/audit?limit=1000', auditor)).body.items.map((e: { action: string }) => e.action) as string[];

/** A dashboard on the live feed, over a real WebSocket. */
const live: unknown[] = [];
const liveSocket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/api/v1/live`, { headers: { authorization: `Bearer ${auditor}` } });
liveSocket.on('message', (d: Buffer) => live.push(JSON.parse(d.toString())));
await new Promise((resolve, reject) => liveSocket.once('open', resolve).once('error', reject));
async function liveEvent(match: (e: Record<string, unknown>) => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = (live as Array<Record<string, unknown>>).find(match);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no matching live event within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Two hosts of one group: web-1 passes the root-login rule, web-2 fails it.
const token = await createEnrollmentToken(t.db, { name: 'web', group: 'web' });
async function enrolled(name: string, permitRootLogin: string) {
  const agent = await TestAgent.connect(t.url, token);
  agent.send(hello(name));
  const hostId = (await agent.next('welcome')).payload.hostId;
  const facts = hostFacts(name, permitRootLogin);
  agent.send(snapshot(1, facts));
  await agent.next('ack');
  return { agent, hostId, facts, seq: 1 };
}
const web1 = await enrolled('web-1', 'no');
const web2 = await enrolled('web-2', 'yes');
/** Sends the host's facts with PermitRootLogin changed, as a delta like a real agent. */
async function setRootLogin(h: typeof web1, value: string) {
  const next = hostFacts(h.agent === web1.agent ? 'web-1' : 'web-2', value);
  h.agent.send(delta(++h.seq, h.facts, next));
  await h.agent.next('ack');
  h.facts = next;
}

describe('approving a baseline', () => {
  it('is refused to auditors, for unknown hosts and for bad bodies, and changes nothing', async () => {
    const denied = await call('POST', `/api/v1/hosts/${web1.hostId}/baseline`, auditor, {});
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('PLUMBLINE_ERR_FORBIDDEN');
    for (const url of ['/api/v1/hosts/00000000-0000-4000-8000-000000000000/baseline', '/api/v1/hosts/not-a-host/baseline']) {
      const res = await call('POST', url, admin, {});
      expect(res.status, url).toBe(404);
      expect(res.body.code).toBe('PLUMBLINE_ERR_NOT_FOUND');
    }
    for (const bad of [{ note: 42 }, { note: 'x'.repeat(2001) }, { approvedBy: 'someone else' }]) {
      const res = await call('POST', `/api/v1/hosts/${web1.hostId}/baseline`, admin, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('PLUMBLINE_ERR_BAD_REQUEST');
    }
    const none = await call('GET', `/api/v1/hosts/${web1.hostId}/baseline`, auditor);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('PLUMBLINE_ERR_NO_BASELINE');
    expect((await call('GET', `/api/v1/hosts/${web1.hostId}/baseline/compare`, auditor)).body.code).toBe('PLUMBLINE_ERR_NO_BASELINE');
    // A host that has said hello but sent no facts has nothing to approve.
    const quiet = await TestAgent.connect(t.url, token);
    quiet.send(hello('web-3'));
    const quietId = (await quiet.next('welcome')).payload.hostId;
    const empty = await call('POST', `/api/v1/hosts/${quietId}/baseline`, admin);
    expect([empty.status, empty.body.code]).toEqual([409, 'PLUMBLINE_ERR_CONFLICT']);
    quiet.close();
    expect(await auditActions()).not.toContain('baseline.approve');
  });

  it('copies the current facts and verdicts, says who approved it, and compares as no difference', async () => {
    const res = await call('POST', `/api/v1/hosts/${web1.hostId}/baseline`, operator, { note: 'after the CIS hardening run' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      hostId: web1.hostId,
      hostname: 'web-1',
      approvedBy: 'apikey:ops',
      note: 'after the CIS hardening run',
    });
    expect(res.body.verdictCount).toBeGreaterThan(0);
    const stored = (await call('GET', `/api/v1/hosts/${web1.hostId}/baseline`, auditor)).body;
    expect(stored.facts.sshd_config.settings.permitrootlogin.value).toBe('no');
    expect(stored.verdicts[ROOT_LOGIN]).toBe('pass');
    const cmp = await call('GET', `/api/v1/hosts/${web1.hostId}/baseline/compare`, auditor);
    expect(cmp.status).toBe(200);
    expect(cmp.body).toMatchObject({ against: 'own', facts: { items: [], total: 0 }, verdicts: { items: [], total: 0 } });
    expect(await auditActions()).toContain('baseline.approve');
  });
});

describe('approving a baseline while an ingest of the host commits', () => {
  it.runIf(onPostgres)('copies facts and verdicts of one state: both from before the ingest, or both from after', async () => {
    const web3 = await enrolled('web-3', 'no');
    web3.agent.close();
    // The ingest turns root login on: the setting and the verdict change together. It holds the
    // verdicts table until it commits, so an approval that reads the facts first waits between its reads.
    const yes = JSON.stringify(hostFacts('web-3', 'yes').sshd_config);
    const res = await racingWriter(
      t,
      web3.hostId,
      () => call('POST', `/api/v1/hosts/${web3.hostId}/baseline`, operator, { note: 'during an ingest' }),
      async (writer) => {
        await writer.query(`UPDATE host_fact_values SET value = $2::jsonb, digest = NULL WHERE host_id = $1 AND fact = 'sshd_config'`, [
          web3.hostId,
          yes,
        ]);
        await writer.query(`UPDATE rule_results SET status = 'fail' WHERE host_id = $1 AND rule_id = $2`, [web3.hostId, ROOT_LOGIN]);
      },
      { tables: ['rule_results'] },
    );
    expect(res.status).toBe(201);
    const stored = (await call('GET', `/api/v1/hosts/${web3.hostId}/baseline`, auditor)).body;
    expect([stored.facts.sshd_config.settings.permitrootlogin.value, stored.verdicts[ROOT_LOGIN]]).toEqual(['yes', 'fail']);
  });
});

describe('baseline drift on ingest', () => {
  it('shows a changed fact and verdict in the comparison and records and publishes the departure', async () => {
    await setRootLogin(web1, 'yes');
    const cmp = (await call('GET', `/api/v1/hosts/${web1.hostId}/baseline/compare`, auditor)).body;
    // The setting's value and its arguments: the same paths as the fact changes.
    expect(cmp.facts).toEqual({
      total: 2,
      items: [
        { fact: 'sshd_config', path: 'sshd_config.settings.permitrootlogin.args', op: 'replace', baseline: ['no'], current: ['yes'] },
        { fact: 'sshd_config', path: ROOT_PATH, op: 'replace', baseline: 'no', current: 'yes' },
      ],
    });
    expect(cmp.verdicts.items).toEqual([
      expect.objectContaining({ ruleId: ROOT_LOGIN, baseline: 'pass', current: 'fail', title: expect.any(String) }),
    ]);
    const drift = await baselineDrift(web1.hostId);
    expect(drift.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'fact',
          path: ROOT_SETTING,
          baseline: 'differs',
          summary: 'sshd_config: PermitRootLogin no -> yes, /etc/ssh/sshd_config:3',
          hostname: 'web-1',
          observedAt: expect.any(String),
          receivedAt: expect.any(String),
        }),
        expect.objectContaining({
          kind: 'compliance',
          ruleId: ROOT_LOGIN,
          baseline: 'differs',
          direction: 'regression',
          before: 'pass',
          after: 'fail',
        }),
      ]),
    );
    // One event per change, the baseline difference a mark on it: no copies of kind `baseline`.
    expect(drift.total).toBe(2);
    expect((await call('GET', `/api/v1/drift?host=${web1.hostId}&kind=baseline`, auditor)).body.total).toBe(0);
    await liveEvent((e) => e.type === 'drift' && e.kind === 'fact' && e.hostId === web1.hostId && e.path === ROOT_SETTING);
  });

  it('records no new baseline event for a message that changes nothing', async () => {
    web1.agent.send(snapshot(++web1.seq, web1.facts));
    await web1.agent.next('ack');
    expect((await baselineDrift(web1.hostId)).total).toBe(2);
  });

  it('records the return to the baseline, after which the comparison is empty again', async () => {
    await setRootLogin(web1, 'no');
    const drift = await baselineDrift(web1.hostId);
    expect(drift.total).toBe(4);
    expect(drift.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ROOT_SETTING, baseline: 'restored', beforeText: 'yes', afterText: 'no' }),
        expect.objectContaining({ ruleId: ROOT_LOGIN, baseline: 'restored', direction: 'improvement', before: 'fail', after: 'pass' }),
      ]),
    );
    const cmp = (await call('GET', `/api/v1/hosts/${web1.hostId}/baseline/compare`, auditor)).body;
    expect([cmp.facts.total, cmp.verdicts.total]).toEqual([0, 0]);
  });
});

describe('a golden host for a group', () => {
  it('is refused to auditors and for bad input, changing nothing', async () => {
    expect((await call('PUT', '/api/v1/groups/web/golden-host', auditor, { hostId: web1.hostId })).status).toBe(403);
    const cases: Array<[string, unknown, number, string]> = [
      ['/api/v1/groups/nosuch/golden-host', { hostId: web1.hostId }, 404, 'PLUMBLINE_ERR_NOT_FOUND'],
      ['/api/v1/groups/web/golden-host', { hostId: 'web-1' }, 400, 'PLUMBLINE_ERR_BAD_REQUEST'],
      ['/api/v1/groups/web/golden-host', {}, 400, 'PLUMBLINE_ERR_BAD_REQUEST'],
      ['/api/v1/groups/web/golden-host', { hostId: '00000000-0000-4000-8000-000000000000' }, 400, 'PLUMBLINE_ERR_BAD_REQUEST'],
    ];
    for (const [url, body, status, code] of cases) {
      const res = await call('PUT', url, admin, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
    }
    expect((await call('GET', '/api/v1/groups/web/golden-host', auditor)).status).toBe(404);
    expect((await call('GET', `/api/v1/hosts/${web2.hostId}/baseline/compare?against=group`, auditor)).body.code).toBe(
      'PLUMBLINE_ERR_NO_BASELINE',
    );
  });

  it('is the reference other members compare to, and their drift is judged against it', async () => {
    const set = await call('PUT', '/api/v1/groups/web/golden-host', admin, { hostId: web1.hostId });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ group: 'web', hostId: web1.hostId, hostname: 'web-1', setBy: 'apikey:admin', hasBaseline: true });
    expect((await call('GET', `/api/v1/hosts/${web2.hostId}/baseline/compare`, auditor)).body.code).toBe('PLUMBLINE_ERR_NO_BASELINE');
    const cmp = (await call('GET', `/api/v1/hosts/${web2.hostId}/baseline/compare?against=group`, auditor)).body;
    expect(cmp.against).toBe('group');
    expect(cmp.baseline.hostname).toBe('web-1');
    expect(cmp.facts.items).toEqual(
      expect.arrayContaining([{ fact: 'sshd_config', path: ROOT_PATH, op: 'replace', baseline: 'no', current: 'yes' }]),
    );
    expect(cmp.verdicts.items).toEqual([expect.objectContaining({ ruleId: ROOT_LOGIN, baseline: 'pass', current: 'fail' })]);
    expect(
      (await call('GET', `/api/v1/hosts/${web2.hostId}/baseline/compare?against=group&limit=1&offset=0`, auditor)).body.facts.items,
    ).toHaveLength(1);
    expect((await call('GET', `/api/v1/hosts/${web2.hostId}/baseline/compare?against=planet`, auditor)).status).toBe(400);

    // web-2 has no baseline of its own: fixing it brings it to the group's baseline.
    await setRootLogin(web2, 'no');
    const drift = await baselineDrift(web2.hostId);
    expect(drift.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ROOT_SETTING, baseline: 'restored', beforeText: 'yes', afterText: 'no' })]),
    );
    const after = (await call('GET', `/api/v1/hosts/${web2.hostId}/baseline/compare?against=group`, auditor)).body;
    expect(after.facts.items.map((d: { path: string }) => d.path)).not.toContain(ROOT_PATH);
    expect(after.verdicts.total).toBe(0);
  });

  it('is cleared by a writer only, and every change is in the audit trail', async () => {
    expect((await call('DELETE', '/api/v1/groups/web/golden-host', auditor)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/groups/web/golden-host', operator)).status).toBe(204);
    expect((await call('DELETE', '/api/v1/groups/web/golden-host', operator)).status).toBe(404);
    expect(await auditActions()).toEqual(expect.arrayContaining(['group.golden_host.set', 'group.golden_host.clear']));
  });
});

describe('clearing a baseline', () => {
  it('is refused to auditors, then removes it; the audit chain still verifies', async () => {
    expect((await call('DELETE', `/api/v1/hosts/${web1.hostId}/baseline`, auditor)).status).toBe(403);
    expect((await call('GET', `/api/v1/hosts/${web1.hostId}/baseline`, auditor)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/hosts/${web1.hostId}/baseline`, admin)).status).toBe(204);
    const gone = await call('GET', `/api/v1/hosts/${web1.hostId}/baseline`, auditor);
    expect([gone.status, gone.body.code]).toEqual([404, 'PLUMBLINE_ERR_NO_BASELINE']);
    // Without a baseline, changes raise fact and compliance drift but no baseline drift.
    const before = (await baselineDrift(web1.hostId)).total;
    await setRootLogin(web1, 'yes');
    expect((await baselineDrift(web1.hostId)).total).toBe(before);
    expect(await auditActions()).toContain('baseline.clear');
    expect(await verifyAudit(t.db.prisma)).toMatchObject({ ok: true });
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/hosts/{id}/baseline', '/api/v1/hosts/{id}/baseline/compare', '/api/v1/groups/{name}/golden-host']),
    );
    liveSocket.close();
    web1.agent.close();
    web2.agent.close();
  });
});
