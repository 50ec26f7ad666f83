import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { verifyAudit } from '../src/audit/repository';
import { WebhookWorker } from '../src/outbound/webhook-worker';
import { connectHost, delta, hostFacts } from './agent-client';
import { apiCaller, build } from './helper';
import { receiver } from './receiver';

// Retries a few milliseconds apart and a short receiver timeout: the test waits on outcomes, never on the clock.
// The timeout leaves room for a busy machine: the embedded database runs on the event loop.
const t = await build({ webhook: { attempts: 3, backoffMs: 10, timeoutMs: 2000, allowPrivate: true }, outboundPollMs: 25 });
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const ROOT_LOGIN = 'plb-ssh-permit-root-login';

const call = apiCaller(t, admin);
const create = (body: unknown, key = admin) => call('POST', '/api/v1/webhooks', key, body);
const deliveries = async (id: string) => (await call('GET', `/api/v1/webhooks/${id}/deliveries`)).body;
const waitFor = <T>(fn: () => Promise<T> | T) => vi.waitFor(fn, { timeout: 20_000, interval: 25 });

function verifySignature(secret: string, headers: Record<string, unknown>, body: Buffer): boolean {
  const ts = String(headers['x-plumbline-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex')}`;
  return headers['x-plumbline-signature'] === expected;
}

const matching = await receiver();
const other = await receiver();
const flaky = await receiver({ answer: (n) => (n <= 2 ? 503 : 200) });
const slack = await receiver();
const slow = await receiver({ hang: true });

const hookMatching = (
  await create({ name: 'soc', url: matching.url, filter: { kinds: ['compliance'], minSeverity: 'high', groups: ['bastions'] } })
).body;
const hookOther = (await create({ name: 'other-group', url: other.url, filter: { groups: ['databases'] } })).body;
const hookFlaky = (await create({ name: 'flaky', url: flaky.url, filter: { kinds: ['compliance'] } })).body;
const hookSlack = (
  await create({ name: 'chat', url: slack.url, format: 'slack', filter: { kinds: ['compliance'], severities: ['high', 'critical'] } })
).body;

// One host in group "bastions" that passes the root-login rule, then regresses.
const token = await createEnrollmentToken(t.db, { name: 'webhooks', group: 'bastions' });
const { agent, hostId, facts: good } = await connectHost(t.url, token, 'bastion-1');
agent.send(delta(2, good, hostFacts('bastion-1', 'yes'), '2026-11-01T10:00:00.000Z'));
await agent.next('ack');

describe('webhook delivery', () => {
  it('POSTs a matching drift event, signed with HMAC-SHA256 over timestamp and raw body', async () => {
    await waitFor(() => expect(matching.received.length).toBe(1));
    const r = matching.received[0]!;
    expect(r.path).toBe('/hook/s3cr3t-path');
    expect(r.headers['content-type']).toBe('application/json');
    expect(verifySignature(hookMatching.secret, r.headers, r.body)).toBe(true);
    expect(verifySignature('plw_not-the-secret', r.headers, r.body)).toBe(false);
    const payload = JSON.parse(r.body.toString());
    expect(payload).toMatchObject({
      type: 'drift',
      webhook: 'soc',
      event: {
        hostId,
        hostname: 'bastion-1',
        group: 'bastions',
        kind: 'compliance',
        severity: 'high',
        ruleId: ROOT_LOGIN,
        direction: 'regression',
        before: 'pass',
        after: 'fail',
        observedAt: '2026-11-01T10:00:00.000Z',
      },
    });
    // The receiver answers before the server records the outcome.
    await waitFor(async () => expect((await deliveries(hookMatching.id)).items[0]).toMatchObject({ status: 'delivered' }));
    const log = await deliveries(hookMatching.id);
    expect(log.items).toEqual([
      expect.objectContaining({ kind: 'drift', status: 'delivered', attempts: 1, statusCode: 200, eventId: payload.event.id }),
    ]);
  });

  it('enqueues nothing for a webhook whose filter does not match (another group; the fact drift for a compliance-only filter)', async () => {
    await waitFor(() => expect(matching.received.length).toBe(1));
    // Deliveries are enqueued in the ingest transaction, so the log is complete once the event is stored.
    expect((await deliveries(hookOther.id)).total).toBe(0);
    expect(other.hits()).toBe(0);
    const kinds = (await call('GET', `/api/v1/drift?host=${hostId}`)).body.items.map((i: { kind: string }) => i.kind);
    expect(kinds).toContain('fact');
    expect((await deliveries(hookMatching.id)).total).toBe(1);
  });

  it('retries a failing receiver with backoff and records each attempt in the delivery log', async () => {
    await waitFor(async () => expect((await deliveries(hookFlaky.id)).items[0]).toMatchObject({ status: 'delivered' }));
    const [d] = (await deliveries(hookFlaky.id)).items;
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, statusCode: 200, nextAttemptAt: null, deliveredAt: expect.any(String) });
    expect(flaky.hits()).toBe(3);
    expect(verifySignature(hookFlaky.secret, flaky.received[0]!.headers, flaky.received[0]!.body)).toBe(true);
  });

  it('gives up after the configured attempts on a receiver that never answers, naming the timeout', async () => {
    const hook = (await create({ name: 'slow', url: slow.url })).body;
    expect((await call('POST', `/api/v1/webhooks/${hook.id}/test`)).status).toBe(202);
    await waitFor(async () => expect((await deliveries(hook.id)).items[0]).toMatchObject({ status: 'failed' }));
    expect((await deliveries(hook.id)).items[0]).toMatchObject({
      kind: 'test',
      attempts: 3,
      statusCode: null,
      error: expect.stringContaining('timed out'),
    });
  });

  it('sends the Slack-compatible shape, { text, blocks }, to a slack-format webhook, and a test event on demand', async () => {
    await waitFor(() => expect(slack.received.length).toBe(1));
    const drift = JSON.parse(slack.received[0]!.body.toString());
    expect(Object.keys(drift).sort()).toEqual(['blocks', 'text']);
    expect(drift.text).toBe(`[high] bastion-1: ${ROOT_LOGIN} (root cannot log in over SSH) regressed`);
    expect(drift.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining('`pass` → `fail`') } });

    expect((await call('POST', `/api/v1/webhooks/${hookSlack.id}/test`)).status).toBe(202);
    await waitFor(() => expect(slack.received.length).toBe(2));
    const test = slack.received[1]!;
    expect(test.headers['x-plumbline-event']).toBe('test');
    expect(JSON.parse(test.body.toString()).text).toMatch(/^\(test\) /);
    expect(verifySignature(hookSlack.secret, test.headers, test.body)).toBe(true);
  });
});

describe('webhook delivery across replicas', () => {
  it('pending rows are picked up by any worker (a restart loses nothing), and two workers on one database send each once', async () => {
    const pair = await receiver();
    const hook = (await create({ name: 'pair', url: pair.url })).body;
    await t.db.prisma.webhookDelivery.createMany({ data: Array.from({ length: 20 }, () => ({ webhookId: hook.id, kind: 'test' })) });
    // A second replica's worker: same database, its own claims (separate pooled connections on PostgreSQL).
    // Small batches make the replicas' claims interleave.
    const others = [1, 2, 3].map(
      () =>
        new WebhookWorker(
          t.db.prisma,
          t.app.log,
          { attempts: 3, backoffMs: 10, timeoutMs: 2000, allowPrivate: true, pollMs: 3_600_000, batch: 1 },
          () => null,
        ),
    );
    for (const w of others) w.nudge();
    t.app.webhookWorker.nudge();
    await waitFor(async () => expect((await call('GET', `/api/v1/webhooks/${hook.id}/deliveries?status=delivered`)).body.total).toBe(20));
    await Promise.all(others.map((w) => w.stop()));
    expect(pair.hits()).toBe(20);
    expect(new Set(pair.received.map((r) => r.headers['x-plumbline-delivery'])).size).toBe(20);
    const log = (await call('GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=100`)).body.items as { attempts: number }[];
    expect(log.every((d) => d.attempts === 1)).toBe(true);
    expect((await call('DELETE', `/api/v1/webhooks/${hook.id}`)).status).toBe(200);
  });
});

describe('webhook management', () => {
  it('lists webhooks without their secret, with the URL path masked', async () => {
    const res = await call('GET', '/api/v1/webhooks', auditor);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(5);
    expect(res.body.items.find((w: { name: string }) => w.name === 'soc')).toMatchObject({
      url: matching.url.replace(/\/hook.*$/, '/…'),
      filter: { kinds: ['compliance'], severities: ['high', 'critical'], groups: ['bastions'] },
    });
    expect(res.text).not.toContain(hookMatching.secret);
    expect(res.text).not.toContain('s3cr3t-path');
  });

  it('refuses bad input with a specific code and stores nothing', async () => {
    const before = (await call('GET', '/api/v1/webhooks')).body.total;
    const cases: [unknown, string, RegExp][] = [
      [{ name: 'ftp', url: 'ftp://example.com/x' }, 'PLUMBLINE_ERR_BAD_URL', /only http and https/],
      [{ name: 'file', url: 'file:///etc/passwd' }, 'PLUMBLINE_ERR_BAD_URL', /only http and https/],
      [{ name: 'meta', url: 'http://169.254.169.254/latest/meta-data' }, 'PLUMBLINE_ERR_BAD_URL', /link-local/],
      [{ name: 'creds', url: 'https://user:pw@example.com/' }, 'PLUMBLINE_ERR_BAD_URL', /credentials/],
      [{ name: 'junk', url: 'not a url' }, 'PLUMBLINE_ERR_BAD_URL', /not a valid URL/],
      [{ name: 'kind', url: matching.url, filter: { kinds: ['weather'] } }, 'PLUMBLINE_ERR_BAD_REQUEST', /kinds/],
      [{ name: 'both', url: matching.url, filter: { minSeverity: 'low', severities: ['high'] } }, 'PLUMBLINE_ERR_BAD_REQUEST', /not both/],
      [{ name: 'fmt', url: matching.url, format: 'xml' }, 'PLUMBLINE_ERR_BAD_REQUEST', /format/],
      [{ url: matching.url }, 'PLUMBLINE_ERR_BAD_REQUEST', /name/],
    ];
    for (const [body, code, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toMatch(message);
    }
    expect((await create({ name: 'soc', url: matching.url })).status).toBe(409);
    expect((await call('GET', '/api/v1/webhooks')).body.total).toBe(before);
  });

  it('is admin-only for writes: an auditor gets 403 and nothing changes', async () => {
    expect((await create({ name: 'sneaky', url: matching.url }, auditor)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/webhooks/${hookOther.id}`, auditor)).status).toBe(403);
    expect((await call('POST', `/api/v1/webhooks/${hookOther.id}/test`, auditor)).status).toBe(403);
    expect((await call('GET', `/api/v1/webhooks/${hookOther.id}/deliveries`, auditor)).status).toBe(200);
    expect((await call('GET', '/api/v1/webhooks')).body.total).toBe(5);
    expect((await deliveries(hookOther.id)).total).toBe(0);
  });

  it('deletes a webhook with its log, and both creation and deletion are in the audit trail', async () => {
    const res = await call('DELETE', `/api/v1/webhooks/${hookOther.id}`);
    expect(res.status).toBe(200);
    expect((await call('GET', `/api/v1/webhooks/${hookOther.id}/deliveries`)).status).toBe(404);
    const audit = (await call('GET', '/api/v1/audit?limit=1000')).body.items as { action: string; target: string; details: unknown }[];
    const ofHook = audit.filter((e) => e.target === hookOther.id).map((e) => e.action);
    expect(ofHook.sort()).toEqual(['webhook.create', 'webhook.delete']);
    expect(JSON.stringify(audit)).not.toContain(hookOther.secret);
    expect(await verifyAudit(t.db.prisma)).toMatchObject({ ok: true });
  });
});
