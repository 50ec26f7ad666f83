import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Content } from '@plumbline/benchmarks/load';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, ErrorCode } from '../errors';
import type { DbClient } from '../db/open';
import { keyHeaders, prepareReport, recordExport, signatureFile, writeReport, type ReportJob } from '../reports/export';
import { ReportQuery, type ReportOptions } from '../reports/options';
import { claimDueSchedule, recordScheduleRun, type ReportSchedule } from '../reports/repository';
import type { SigningKey } from '../signing/key';
import { maskUrl, postBody, type OutboundPolicy } from './http-post';
import { nextRunAfter } from './schedule';

export interface RunOutcome {
  ok: boolean;
  result: string | null;
  error: string | null;
}

/** A schedule's stored options as the export's options; a bad one is a 400 naming the field. */
export function scheduleOptions(s: Pick<ReportSchedule, 'format' | 'scope' | 'profile' | 'framework' | 'waivers'>): ReportOptions {
  const parsed = ReportQuery.safeParse({
    format: s.format,
    scope: s.scope,
    profile: s.profile ?? undefined,
    framework: s.framework ?? undefined,
    waivers: String(s.waivers),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AppError(ErrorCode.badRequest, `report.${String(i?.path[0] ?? 'format')}: ${i?.message ?? 'invalid'}`);
  }
  const { signature: _mode, asOf: _asOf, ...options } = parsed.data;
  return options;
}

/**
 * Runs due report schedules. Each tick claims one due schedule at a time with FOR UPDATE SKIP
 * LOCKED and moves its next_run_at forward in the same short transaction, so exactly one
 * replica runs each occurrence (a replica that dies mid-run skips that occurrence rather than
 * another one repeating it). The report streams to a file: into the destination directory
 * (written under a temporary name, then renamed) or into a temporary file that is then
 * streamed as the POST body, as the signature has to lead as a header.
 */
export class ReportScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly prisma: DbClient,
    private readonly log: FastifyBaseLogger,
    private readonly content: () => Content,
    private readonly key: SigningKey,
    private readonly policy: OutboundPolicy,
    private readonly pollMs: number,
    /** Where an evidence pack appends its audit checkpoint (the data directory). */
    private readonly dataDir?: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  /** Runs every schedule that is due now; overlapping calls share one pass. */
  tick(now = new Date()): Promise<void> {
    this.running ??= this.runDue(now)
      .catch((err: unknown) => this.log.warn({ err }, 'report schedule pass failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async runDue(now: Date): Promise<void> {
    while (!this.stopped) {
      const due = await this.claim(now);
      if (!due) return;
      await this.run(due);
    }
  }

  private claim(now: Date): Promise<ReportSchedule | null> {
    return claimDueSchedule(this.prisma, now, (s) => nextRunAfter(s, now));
  }

  /** Throws the export's 400 for options it would refuse (an unknown profile...); reads nothing. */
  validate(options: ReportOptions): void {
    prepareReport(this.prisma, this.content(), this.key, options);
  }

  /** Produces, delivers and records one report of a schedule; the outcome is stored on the schedule. */
  async run(s: ReportSchedule, actor = `schedule:${s.name}`): Promise<RunOutcome> {
    let outcome: RunOutcome;
    try {
      const job = prepareReport(this.prisma, this.content(), this.key, scheduleOptions(s), new Date(), { dataDir: this.dataDir });
      const result =
        s.destinationType === 'directory' ? await this.toDirectory(job, s.destination, actor) : await this.toUrl(job, s.destination, actor);
      outcome = { ok: true, result, error: null };
      this.log.info(
        { scheduleId: s.id, result: s.destinationType === 'directory' ? result : maskUrl(s.destination) },
        'scheduled report delivered',
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      outcome = { ok: false, result: null, error: message.slice(0, 500) };
      this.log.warn({ scheduleId: s.id, error: message }, 'scheduled report failed');
    }
    await recordScheduleRun(this.prisma, s.id, { at: new Date(), ...outcome });
    return outcome;
  }

  private async toDirectory(job: ReportJob, dir: string, actor: string): Promise<string> {
    const file = path.join(dir, job.filename);
    const partial = `${file}.partial-${randomUUID()}`;
    try {
      const signed = await writeReport(job, this.key, createWriteStream(partial));
      await rename(partial, file);
      await writeFile(`${file}.sig`, `${JSON.stringify(signatureFile(signed, this.key), null, 2)}\n`);
      await recordExport(this.prisma, actor, job, signed);
      return file;
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  private async toUrl(job: ReportJob, url: string, actor: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-scheduled-'));
    try {
      const file = path.join(dir, job.filename);
      const signed = await writeReport(job, this.key, createWriteStream(file));
      const headers = {
        'content-type': job.contentType,
        'content-length': signed.bytes,
        'content-disposition': `attachment; filename="${job.filename}"`,
        'x-plumbline-signature': signed.signature,
        ...keyHeaders(this.key),
        'x-plumbline-content-sha256': signed.sha256,
        'x-plumbline-report-id': job.ctx.id,
      };
      // A report takes longer to send than an event: allow a minute per 10 MB on top.
      const policy = { ...this.policy, timeoutMs: this.policy.timeoutMs + Math.ceil(signed.bytes / 10_000_000) * 60_000 };
      const { statusCode } = await postBody(url, headers, createReadStream(file), policy, this.abort.signal);
      if (statusCode < 200 || statusCode >= 300) throw new Error(`receiver answered HTTP ${statusCode}`);
      await recordExport(this.prisma, actor, job, signed);
      return `HTTP ${statusCode}`;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
