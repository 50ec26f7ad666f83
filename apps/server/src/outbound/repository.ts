import type { Prisma, PrismaClient, Webhook, WebhookDelivery } from '../generated/prisma/client';
import { writeAudited } from '../audit/repository';
import type { AuditInput } from '../audit/trail';
import { paged } from '../db/page';

/** Webhooks and their delivery queue (filled by the drift trigger, drained by WebhookWorker). */

export type { Webhook, WebhookDelivery };

export function findWebhook(prisma: PrismaClient, by: { id: string } | { name: string }): Promise<Webhook | null> {
  return prisma.webhook.findUnique({ where: by });
}

export function webhookPage(prisma: PrismaClient, page: { offset: number; limit: number }) {
  return paged(prisma.webhook.findMany({ orderBy: [{ name: 'asc' }], skip: page.offset, take: page.limit }), prisma.webhook.count());
}

/** Stores a webhook and its audit entry (made from the stored row) in one transaction. */
export function insertWebhook(
  prisma: PrismaClient,
  data: Prisma.WebhookCreateInput,
  audit: (row: Webhook) => AuditInput,
): Promise<Webhook> {
  return writeAudited(prisma, (tx) => tx.webhook.create({ data }), audit);
}

export async function deleteWebhook(prisma: PrismaClient, id: string, audit: AuditInput): Promise<void> {
  await writeAudited(
    prisma,
    (tx) => tx.webhook.delete({ where: { id } }),
    () => audit,
  );
}

export function deliveryPage(prisma: PrismaClient, webhookId: string, status: string | undefined, page: { offset: number; limit: number }) {
  const where = { webhookId, ...(status && { status }) };
  return paged(
    prisma.webhookDelivery.findMany({ where, orderBy: { id: 'desc' }, skip: page.offset, take: page.limit }),
    prisma.webhookDelivery.count({ where }),
  );
}

/** Queues a test delivery; the worker sends it like any other. */
export function insertTestDelivery(prisma: PrismaClient, webhookId: string): Promise<WebhookDelivery> {
  return prisma.webhookDelivery.create({ data: { webhookId, kind: 'test' } });
}

/** Drops settled deliveries older than 30 days; pending ones stay until they settle. */
export async function pruneDeliveries(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - interval '30 days'`);
}

export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  kind: string;
  event_id: string | null;
  attempts: number;
  url: string;
  format: string;
  secret: string;
  name: string;
}

/**
 * Claims up to `batch` due deliveries with FOR UPDATE SKIP LOCKED and leases them for `leaseMs`
 * (next_attempt_at moves past the attempt's deadline), counting the attempt: exactly one
 * replica sends each, and one that dies mid-attempt only delays it.
 */
export function claimDeliveries(prisma: PrismaClient, batch: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return prisma.$queryRawUnsafe<ClaimedDelivery[]>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= now()
       ORDER BY next_attempt_at, id
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE webhook_deliveries d
     SET attempts = d.attempts + 1, next_attempt_at = now() + $2::double precision * interval '1 millisecond'
     FROM due, webhooks w
     WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING d.id::text AS id, d.webhook_id::text AS webhook_id, d.kind, d.event_id::text AS event_id, d.attempts,
       w.url, w.format, w.secret, w.name`,
    batch,
    leaseMs,
  );
}

export interface DeliveryEventRow {
  id: string;
  host_id: string;
  hostname: string;
  group_name: string | null;
  kind: string;
  severity: string;
  rule_id: string | null;
  path: string | null;
  direction: string;
  before: unknown;
  after: unknown;
  observed_at: Date;
  received_at: Date;
}

/** The drift event a delivery carries, with its host's name and group; null when it is no longer stored. */
export async function deliveryEvent(prisma: PrismaClient, eventId: string): Promise<DeliveryEventRow | null> {
  const rows = await prisma.$queryRawUnsafe<DeliveryEventRow[]>(
    `SELECT e.id::text AS id, e.host_id::text AS host_id, h.hostname, h.group_name, e.kind, e.severity, e.rule_id, e.path,
       e.direction, e.before, e.after, e.observed_at, e.received_at
     FROM drift_events e JOIN hosts h ON h.id = e.host_id WHERE e.id = $1::bigint`,
    eventId,
  );
  return rows[0] ?? null;
}

export async function markDelivered(prisma: PrismaClient, id: string, statusCode: number): Promise<void> {
  await prisma.$executeRawUnsafe(
    `UPDATE webhook_deliveries SET status = 'delivered', status_code = $2, error = NULL, delivered_at = now(), next_attempt_at = NULL WHERE id = $1::bigint`,
    id,
    statusCode,
  );
}

/** Records a failed attempt: retried after `retryInMs`, or failed for good when `giveUp`. */
export async function markAttemptFailed(
  prisma: PrismaClient,
  id: string,
  r: { giveUp: boolean; statusCode: number | null; error: string; retryInMs: number },
): Promise<void> {
  await prisma.$executeRawUnsafe(
    `UPDATE webhook_deliveries SET status = $2::text, status_code = $3::int, error = $4::text,
       next_attempt_at = CASE WHEN $2::text = 'failed' THEN NULL ELSE now() + $5::double precision * interval '1 millisecond' END
     WHERE id = $1::bigint`,
    id,
    r.giveUp ? 'failed' : 'pending',
    r.statusCode,
    r.error,
    r.retryInMs,
  );
}
