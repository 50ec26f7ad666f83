import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors';
import type { DbClient } from '../db/open';
import type { LiveBus } from '../live/bus';
import { maskUrl, postBody, type OutboundPolicy } from './http-post';
import { claimDeliveries, deliveryEvent, markAttemptFailed, markDelivered, pruneDeliveries, type ClaimedDelivery } from './repository';
import {
  renderBody,
  signWebhook,
  SIGNATURE_HEADER,
  testEvent,
  TIMESTAMP_HEADER,
  type DeliveryPayload,
  type DriftPayloadEvent,
  vulnerabilityChange,
} from './webhook-payload';

export interface WebhookWorkerOptions extends OutboundPolicy {
  attempts: number;
  /** Delay before the first retry; each later one doubles it. */
  backoffMs: number;
  pollMs: number;
  batch?: number;
}

/**
 * Sends the deliveries the drift trigger enqueued. Any replica may run this: a delivery is
 * claimed with FOR UPDATE SKIP LOCKED and leased (next_attempt_at moves past the attempt's
 * deadline), so exactly one replica sends it, and one that dies mid-attempt only delays it.
 * Failures are retried with exponential backoff until the attempts run out.
 */
/** Passes started by drift events are this far apart at least: drift arrives at ingest rates. */
const DRIFT_PASS_MS = 100;

export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private driftTimer: NodeJS.Timeout | null = null;
  private lastDriftPass = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly prisma: DbClient,
    private readonly log: FastifyBaseLogger,
    private readonly opts: WebhookWorkerOptions,
    private readonly ruleTitle: (ruleId: string) => string | null,
  ) {}

  start(bus: LiveBus): void {
    this.timer = setInterval(() => this.nudge(), this.opts.pollMs);
    this.timer.unref();
    // New drift (from any replica, via the bus) is the usual reason for work: don't wait for the poll.
    this.unsubscribe = bus.subscribe((e) => {
      if (e.type === 'drift') this.onDrift();
    });
  }

  /**
   * A pass right away, unless one started for drift less than DRIFT_PASS_MS ago: then one
   * when that time is up, for all the drift that came meanwhile. One pass per event was
   * a query per ingest on a busy server, most of them finding nothing new to claim.
   */
  private onDrift(): void {
    if (this.driftTimer) return;
    const pass = () => {
      this.driftTimer = null;
      this.lastDriftPass = Date.now();
      this.nudge();
    };
    const wait = this.lastDriftPass + DRIFT_PASS_MS - Date.now();
    if (wait <= 0) return pass();
    this.driftTimer = setTimeout(pass, wait);
    this.driftTimer.unref();
  }

  /** Runs a pass now, or right after the one in progress. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.log.warn({ err }, 'webhook delivery pass failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Resolves once nothing is due (for tests and the run-now paths). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.driftTimer) clearTimeout(this.driftTimer);
    this.unsubscribe?.();
    // In-flight attempts are cut short; their lease runs out and another pass retries them.
    this.abort.abort();
    await this.running;
  }

  private lastPrune = 0;

  private async drain(): Promise<void> {
    // The log keeps settled deliveries for 30 days; pending ones stay until they settle.
    if (Date.now() - this.lastPrune > 3_600_000) {
      this.lastPrune = Date.now();
      await pruneDeliveries(this.prisma);
    }
    for (;;) {
      if (this.stopped) return;
      const claimed = await this.claim();
      if (!claimed.length) return;
      await Promise.all(claimed.map((d) => this.deliver(d)));
    }
  }

  private claim(): Promise<ClaimedDelivery[]> {
    const leaseMs = this.opts.timeoutMs + 30_000;
    return claimDeliveries(this.prisma, this.opts.batch ?? 10, leaseMs);
  }

  private async eventOf(d: ClaimedDelivery): Promise<DriftPayloadEvent | null> {
    if (d.kind === 'test' || !d.event_id) return testEvent(new Date());
    const e = await deliveryEvent(this.prisma, d.event_id);
    if (!e) return null;
    const vulnerability = vulnerabilityChange(e.kind, e.path, e.direction);
    return {
      id: e.id,
      hostId: e.host_id,
      hostname: e.hostname,
      group: e.group_name,
      kind: e.kind,
      severity: e.severity,
      ruleId: e.rule_id,
      ruleTitle: e.rule_id ? this.ruleTitle(e.rule_id) : null,
      path: e.path,
      direction: e.direction,
      before: e.before,
      after: e.after,
      observedAt: new Date(e.observed_at).toISOString(),
      receivedAt: new Date(e.received_at).toISOString(),
      ...(vulnerability && { vulnerability }),
    };
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const event = await this.eventOf(d);
    if (!event) return this.finish(d, { ok: false, final: true, statusCode: null, error: 'the drift event is no longer stored' });
    const payload: DeliveryPayload = { type: d.kind === 'test' ? 'test' : 'drift', deliveryId: d.id, webhook: d.name, event };
    const body = renderBody(d.format, payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhook(d.secret, timestamp, body),
      'x-plumbline-event': payload.type,
      'x-plumbline-delivery': d.id,
    };
    try {
      const { statusCode } = await postBody(d.url, headers, body, this.opts, this.abort.signal);
      if (statusCode >= 200 && statusCode < 300) return await this.finish(d, { ok: true, statusCode });
      await this.finish(d, { ok: false, final: false, statusCode, error: `receiver answered HTTP ${statusCode}` });
    } catch (err) {
      if (this.abort.signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      // Logged by id and origin only: the URL path and the secret stay out of logs.
      this.log.info(
        { webhookId: d.webhook_id, deliveryId: d.id, receiver: maskUrl(d.url), attempt: d.attempts, error: message },
        'webhook delivery failed',
      );
      // A refused address or URL will not get better by waiting.
      const final = err instanceof AppError || message.startsWith('refused:');
      await this.finish(d, { ok: false, final, statusCode: null, error: message.slice(0, 500) });
    }
  }

  private async finish(
    d: ClaimedDelivery,
    r: { ok: true; statusCode: number } | { ok: false; final: boolean; statusCode: number | null; error: string },
  ): Promise<void> {
    if (r.ok) {
      await markDelivered(this.prisma, d.id, r.statusCode);
      return;
    }
    const giveUp = r.final || d.attempts >= this.opts.attempts;
    const delayMs = this.opts.backoffMs * 2 ** (d.attempts - 1);
    await markAttemptFailed(this.prisma, d.id, { giveUp, statusCode: r.statusCode, error: r.error, retryInMs: delayMs });
  }
}
