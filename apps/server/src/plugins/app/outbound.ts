import fp from 'fastify-plugin';
import { ReportScheduler } from '../../outbound/report-scheduler';
import { WebhookWorker } from '../../outbound/webhook-worker';
import { ensureSigningKey } from '../../signing/key';

declare module 'fastify' {
  interface FastifyInstance {
    webhookWorker: WebhookWorker;
    reportScheduler: ReportScheduler;
  }
}

/**
 * Outbound delivery in the background: webhook deliveries and scheduled reports. Both run on
 * every replica and coordinate through the database; both stop when the app closes.
 */
export default fp(
  async (app) => {
    const { webhook, outboundPollMs } = app.config;
    const policy = { allowPrivate: webhook.allowPrivate, timeoutMs: webhook.timeoutMs };
    const worker = new WebhookWorker(
      app.db.prisma,
      app.log,
      { ...policy, attempts: webhook.attempts, backoffMs: webhook.backoffMs, pollMs: outboundPollMs },
      (id) => app.policy.rule(id)?.title ?? null,
    );
    const key = await ensureSigningKey(app.db.prisma);
    const scheduler = new ReportScheduler(
      app.db.prisma,
      app.log,
      () => app.policy.content,
      key,
      policy,
      outboundPollMs,
      app.config.dataDir,
    );
    app.decorate('webhookWorker', worker);
    app.decorate('reportScheduler', scheduler);
    app.addHook('onReady', async () => {
      worker.start(app.bus);
      scheduler.start();
    });
    app.addHook('onClose', async () => {
      await Promise.all([worker.stop(), scheduler.stop()]);
    });
  },
  { name: 'outbound', dependencies: ['db'] },
);
