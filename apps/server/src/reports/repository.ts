import type { Prisma, PrismaClient, ReportSchedule } from '../generated/prisma/client';
import { writeAudited } from '../audit/repository';
import type { AuditInput } from '../audit/trail';
import type { RuleWaiver } from '../waivers/repository';
import type { Scope } from './options';
import { paged } from '../db/page';

export type { ReportSchedule };

/** What a report reads: hosts a page at a time, their verdicts at a point in time, waivers and score samples then. */

export interface ReportHostRow {
  id: string;
  hostname: string;
  group_name: string | null;
  tags: string[];
  os: string | null;
  os_id: string | null;
  os_version: string | null;
  profile_id: string | null;
}

export interface ReportResultRow {
  host_id: string;
  rule_id: string;
  status: string;
  evidence: unknown;
  first_failed_at: Date | null;
  changed_at: Date;
}

/** A page of the hosts in scope, in (hostname, id) order after `cursor`. */
export function reportHostPage(
  prisma: PrismaClient,
  scope: Scope,
  cursor: [string, string] | null,
  limit: number,
): Promise<ReportHostRow[]> {
  const params: unknown[] = [limit];
  const where: string[] = ['TRUE'];
  if (scope.kind !== 'fleet') {
    params.push(scope.value);
    where.push(
      scope.kind === 'group'
        ? `group_name = $${params.length}`
        : scope.kind === 'tag'
          ? `$${params.length} = ANY(tags)`
          : `id = $${params.length}::uuid`,
    );
  }
  if (cursor) {
    params.push(cursor[0], cursor[1]);
    where.push(`(hostname, id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  return prisma.$queryRawUnsafe<ReportHostRow[]>(
    `SELECT id::text AS id, hostname, group_name, tags, os, os_id, os_version, profile_id FROM hosts
     WHERE ${where.join(' AND ')} ORDER BY hostname, id LIMIT $1`,
    ...params,
  );
}

/**
 * The latest verdict of each rule (of `ruleIds`, or every rule) on the hosts, from the history
 * received up to `receivedBy`: as observed at `asOf` when given, else as of now, joined to the
 * current verdicts for the freshest evidence of an unchanged verdict.
 */
export function reportResultRows(
  prisma: PrismaClient,
  hostIds: string[],
  opts: { receivedBy: Date; asOf: Date | undefined; ruleIds: string[] | null; withEvidence: boolean },
): Promise<ReportResultRow[]> {
  const params: unknown[] = [hostIds, opts.receivedBy];
  let rules = '';
  if (opts.ruleIds) {
    params.push(opts.ruleIds);
    rules = `AND c.rule_id = ANY($${params.length}::text[])`;
  }
  // The latest change per rule is picked on narrow rows (ids only), then fetched whole.
  if (opts.asOf) {
    params.push(opts.asOf);
    const evidence = opts.withEvidence ? 'c.evidence' : 'NULL::jsonb';
    return prisma.$queryRawUnsafe<ReportResultRow[]>(
      `WITH latest AS (
         SELECT DISTINCT ON (c.host_id, c.rule_id) c.id FROM result_changes c
         WHERE c.host_id = ANY($1::uuid[]) AND c.received_at <= $2 AND c.observed_at <= $${params.length} ${rules}
         ORDER BY c.host_id, c.rule_id, c.observed_at DESC, c.id DESC)
       SELECT c.host_id::text AS host_id, c.rule_id, c.after AS status, ${evidence} AS evidence,
         CASE WHEN c.after = 'fail' THEN c.observed_at END AS first_failed_at, c.observed_at AS changed_at
       FROM latest JOIN result_changes c ON c.id = latest.id`,
      ...params,
    );
  }
  // Now: the history up to the start of the report, joined to the current verdicts (a rule
  // no longer evaluated is gone from them) for the freshest evidence of an unchanged verdict.
  const same = 'r.status = c.after';
  const evidence = opts.withEvidence ? `CASE WHEN ${same} THEN r.evidence ELSE c.evidence END` : 'NULL::jsonb';
  return prisma.$queryRawUnsafe<ReportResultRow[]>(
    `WITH latest AS (
       SELECT DISTINCT ON (c.host_id, c.rule_id) c.id FROM result_changes c
       WHERE c.host_id = ANY($1::uuid[]) AND c.received_at <= $2 ${rules}
       ORDER BY c.host_id, c.rule_id, c.id DESC)
     SELECT c.host_id::text AS host_id, c.rule_id, c.after AS status, ${evidence} AS evidence,
       CASE WHEN ${same} THEN r.first_failed_at WHEN c.after = 'fail' THEN c.observed_at END AS first_failed_at,
       CASE WHEN ${same} AND r.changed_at <= $2 THEN r.changed_at ELSE c.observed_at END AS changed_at
     FROM latest JOIN result_changes c ON c.id = latest.id
     JOIN rule_results r ON r.host_id = c.host_id AND r.rule_id = c.rule_id`,
    ...params,
  );
}

/** A series' stored score samples in (from, to], the last of each day, oldest first. */
export function dailyScoreSamples(prisma: PrismaClient, scope: string, scopeId: string, from: Date, to: Date) {
  return prisma.$queryRawUnsafe<{ at: Date; score: number | null; score_waived: number | null }[]>(
    `SELECT at, score, score_waived FROM (
       SELECT DISTINCT ON (date_trunc('day', at, 'UTC')) at, score, score_waived FROM score_samples
       WHERE scope = $1 AND scope_id = $2 AND at > $3::timestamptz AND at <= $4::timestamptz
       ORDER BY date_trunc('day', at, 'UTC'), at DESC
     ) s ORDER BY at`,
    scope,
    scopeId,
    from,
    to,
  );
}

/** Rule waivers in force at `t`: approved by then, not revoked by then, not yet expired; oldest first. */
export async function waiversInForceAt(prisma: PrismaClient, t: Date): Promise<RuleWaiver[]> {
  const rows = await prisma.waiver.findMany({
    where: {
      ruleId: { not: null },
      approvedAt: { not: null, lte: t },
      createdAt: { lte: t },
      expiresAt: { gt: t },
      OR: [{ revokedAt: null }, { revokedAt: { gt: t } }],
    },
    orderBy: { createdAt: 'asc' },
  });
  return rows as RuleWaiver[];
}

/** A waiver as an evidence pack's register lists it: who asked, why, who approved, until when. */
export interface WaiverRecord {
  id: string;
  ruleId: string | null;
  cve: string | null;
  scopeType: string;
  scopeId: string;
  justification: string;
  requestedBy: string;
  createdAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  expiresAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

/** Every waiver that existed at some moment of [from, to]: requested by `to`, not expired or revoked before `from`. */
export function waiverRegister(prisma: PrismaClient, from: Date, to: Date): Promise<WaiverRecord[]> {
  return prisma.waiver.findMany({
    where: { createdAt: { lte: to }, expiresAt: { gt: from }, OR: [{ revokedAt: null }, { revokedAt: { gt: from } }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

export function findReportSchedule(prisma: PrismaClient, by: { id: string } | { name: string }): Promise<ReportSchedule | null> {
  return prisma.reportSchedule.findUnique({ where: by });
}

export function reportSchedulePage(prisma: PrismaClient, page: { offset: number; limit: number }) {
  return paged(
    prisma.reportSchedule.findMany({ orderBy: [{ name: 'asc' }], skip: page.offset, take: page.limit }),
    prisma.reportSchedule.count(),
  );
}

/** Stores a schedule and its audit entry (made from the stored row) in one transaction. */
export function insertReportSchedule(
  prisma: PrismaClient,
  data: Prisma.ReportScheduleCreateInput,
  audit: (row: ReportSchedule) => AuditInput,
): Promise<ReportSchedule> {
  return writeAudited(prisma, (tx) => tx.reportSchedule.create({ data }), audit);
}

export async function deleteReportSchedule(prisma: PrismaClient, id: string, audit: AuditInput): Promise<void> {
  await writeAudited(
    prisma,
    (tx) => tx.reportSchedule.delete({ where: { id } }),
    () => audit,
  );
}

/**
 * Claims one schedule due at `now` with FOR UPDATE SKIP LOCKED and moves its next run to
 * `nextRun(schedule)` in the same short transaction: exactly one replica runs each occurrence.
 */
export function claimDueSchedule(prisma: PrismaClient, now: Date, nextRun: (s: ReportSchedule) => Date): Promise<ReportSchedule | null> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text AS id FROM report_schedules WHERE enabled AND next_run_at <= $1::timestamptz ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      now,
    );
    const id = rows[0]?.id;
    if (!id) return null;
    const s = await tx.reportSchedule.findUniqueOrThrow({ where: { id } });
    return tx.reportSchedule.update({ where: { id }, data: { nextRunAt: nextRun(s) } });
  });
}

/** Stores how a run went; a schedule deleted while it ran is no error. */
export async function recordScheduleRun(
  prisma: PrismaClient,
  id: string,
  run: { at: Date; ok: boolean; result: string | null; error: string | null },
): Promise<void> {
  await prisma.reportSchedule
    .update({
      where: { id },
      data: { lastRunAt: run.at, lastStatus: run.ok ? 'ok' : 'error', lastError: run.error, lastResult: run.result },
    })
    .catch(() => undefined);
}
