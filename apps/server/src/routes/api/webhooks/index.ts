import { ListQuery, page } from '@plumbline/protocol/api';
import { SEVERITY_ORDER, WebhookCreate, WebhookCreated, WebhookDeliveryItem, WebhookItem } from '@plumbline/protocol/outbound';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, conflictOnUnique, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';
import { checkUrl, maskUrl } from '../../../outbound/http-post';
import {
  deleteWebhook,
  deliveryPage,
  findWebhook,
  insertTestDelivery,
  insertWebhook,
  webhookPage,
  type Webhook,
  type WebhookDelivery,
} from '../../../outbound/repository';
import { newWebhookSecret } from '../../../outbound/webhook-payload';

function toItem(w: Webhook): WebhookItem {
  return {
    id: w.id,
    name: w.name,
    url: maskUrl(w.url),
    format: w.format as 'json',
    filter: {
      kinds: w.kinds as WebhookItem['filter']['kinds'],
      severities: w.severities as WebhookItem['filter']['severities'],
      groups: w.groups,
    },
    enabled: w.enabled,
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
  };
}

function toDelivery(d: WebhookDelivery): WebhookDeliveryItem {
  return {
    id: d.id.toString(),
    webhookId: d.webhookId,
    kind: d.kind as 'drift',
    eventId: d.eventId?.toString() ?? null,
    status: d.status as 'pending',
    attempts: d.attempts,
    statusCode: d.statusCode,
    error: d.error,
    // While an attempt runs this is its lease, not a planned retry.
    nextAttemptAt: d.status === 'pending' ? (d.nextAttemptAt?.toISOString() ?? null) : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

const Params = z.object({ id: z.uuid() });

/**
 * Webhooks: drift matching a subscription's filter is POSTed to its URL, signed with
 * HMAC-SHA256 (see outbound/webhook-payload.ts). Admins manage them; every role reads them
 * and their delivery log. The secret is returned once, in the creation answer.
 */
const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const admin = app.requireRole('admin');

  async function find(id: string): Promise<Webhook> {
    const w = await findWebhook(prisma, { id });
    if (!w) throw new AppError(ErrorCode.notFound, `no webhook ${id}`);
    return w;
  }

  app.post('', { preHandler: admin, schema: { body: WebhookCreate, response: { 201: WebhookCreated } } }, async (req, reply) => {
    const b = req.body;
    const url = checkUrl(b.url, app.config.webhook.allowPrivate).toString();
    const f = b.filter;
    const severities = f.severities ?? (f.minSeverity ? SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(f.minSeverity)) : []);
    const taken = `name: a webhook named ${b.name} exists`;
    if (await findWebhook(prisma, { name: b.name })) throw new AppError(ErrorCode.conflict, taken);
    const secret = newWebhookSecret();
    const actor = actorOf(req.principal);
    const w = await insertWebhook(
      prisma,
      {
        name: b.name,
        url,
        format: b.format,
        kinds: [...new Set(f.kinds)],
        severities: [...new Set(severities)],
        groups: [...new Set(f.groups)],
        secret,
        enabled: b.enabled,
        createdBy: actor,
      },
      // The receiver's origin only: the path may itself be a credential.
      (row) => ({
        actor,
        action: 'webhook.create',
        target: row.id,
        details: {
          name: row.name,
          receiver: maskUrl(url),
          format: row.format,
          kinds: row.kinds,
          severities: row.severities,
          groups: row.groups,
        },
      }),
    ).catch(conflictOnUnique(taken));
    return reply.code(201).send({ ...toItem(w), secret });
  });

  app.get('', { preHandler: app.requireRole(), schema: { querystring: ListQuery, response: { 200: page(WebhookItem) } } }, async (req) => {
    const { rows, total } = await webhookPage(prisma, req.query);
    return { items: rows.map(toItem), total };
  });

  app.delete('/:id', { preHandler: admin, schema: { params: Params, response: { 200: WebhookItem } } }, async (req) => {
    const w = await find(req.params.id);
    const actor = actorOf(req.principal);
    await deleteWebhook(prisma, w.id, {
      actor,
      action: 'webhook.delete',
      target: w.id,
      details: { name: w.name, receiver: maskUrl(w.url) },
    });
    return toItem(w);
  });

  app.get(
    '/:id/deliveries',
    {
      preHandler: app.requireRole(),
      schema: {
        params: Params,
        querystring: ListQuery.extend({ status: z.enum(['pending', 'delivered', 'failed']).optional() }),
        response: { 200: page(WebhookDeliveryItem) },
      },
    },
    async (req) => {
      await find(req.params.id);
      const { rows, total } = await deliveryPage(prisma, req.params.id, req.query.status, req.query);
      return { items: rows.map(toDelivery), total };
    },
  );

  app.post('/:id/test', { preHandler: admin, schema: { params: Params, response: { 202: WebhookDeliveryItem } } }, async (req, reply) => {
    const w = await find(req.params.id);
    const d = await insertTestDelivery(prisma, w.id);
    app.webhookWorker.nudge();
    return reply.code(202).send(toDelivery(d));
  });
};

export default webhookRoutes;
