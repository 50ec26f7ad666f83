import type { Result, Status } from '@plumbline/benchmarks/engine';
import type { Content } from '@plumbline/benchmarks/load';
import { profileRules } from '@plumbline/benchmarks/load';
import type { Rule, Waiver } from '@plumbline/benchmarks/schema';
import { compareSectionIds } from '@plumbline/benchmarks/score';
import { AppError, ErrorCode } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import { toEngineWaiver } from '../waivers/active';
import { findingsAsOf, type FindingAsOf } from '../vulnerabilities/repository';
import type { ReportOptions } from './options';

/**
 * Reads what a report covers, one page of hosts at a time (keyset on hostname, id), so a
 * fleet report never holds more than a page of results.
 *
 * Every report is a point in time T and reads the verdict history (result_changes): the
 * status of a rule on a host at T is the latest change observed at or before T. A report
 * "now" takes T = the moment it started and counts only changes received before it, so its
 * passes (summary first, rows after) see the same data while agents keep reporting; its
 * evidence is the current one (rule_results) where the verdict is still the same.
 */
export interface ReportHost {
  id: string;
  hostname: string;
  group: string | null;
  tags: string[];
  os: string | null;
  osId: string | null;
  osVersion: string | null;
  profileId: string | null;
}

export interface ReportResult extends Result {
  firstFailedAt: Date | null;
  changedAt: Date;
  waiver?: Waiver & { id?: string };
}

export interface HostResults {
  host: ReportHost;
  results: ReportResult[];
}

const HOST_PAGE = 100;

interface Row {
  host_id: string;
  rule_id: string;
  status: string;
  evidence: unknown;
  first_failed_at: Date | null;
  changed_at: Date;
}
interface HostRow {
  id: string;
  hostname: string;
  group_name: string | null;
  tags: string[];
  os: string | null;
  os_id: string | null;
  os_version: string | null;
  profile_id: string | null;
}

const STATUSES = new Set<string>(['pass', 'fail', 'notapplicable', 'error']);

export class ReportSource {
  /** Rules the report is limited to (a profile, a framework), or null for every rule a host has. */
  readonly ruleIds: string[] | null;
  readonly profileTitle: string | null;
  private waivers: Map<string, (Waiver & { id: string })[]> | null = null;
  /** Rules in report order (by section, then id), computed once. */
  private readonly order: Map<string, number>;

  constructor(
    private readonly prisma: PrismaClient,
    readonly content: Content,
    readonly options: ReportOptions,
    /** When the report started: T for a report "now", and the end of the history it reads. */
    readonly generatedAt: Date,
  ) {
    let rules: Rule[] | null = null;
    this.profileTitle = null;
    if (options.profile) {
      const profile = content.profiles.get(options.profile);
      if (!profile)
        throw new AppError(
          ErrorCode.badRequest,
          `profile: unknown profile '${options.profile}' (known: ${[...content.profiles.keys()].join(', ')})`,
        );
      rules = profileRules(content, profile);
      this.profileTitle = profile.title;
    }
    const fw = options.framework;
    if (fw) rules = (rules ?? content.rules).filter((r) => r.references[fw].length > 0);
    this.ruleIds = rules ? rules.map((r) => r.id) : null;
    const sorted = [...content.rules].sort(
      (a, b) => compareSectionIds(a.section.id, b.section.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    this.order = new Map(sorted.map((r, i) => [r.id, i]));
    if (options.asOf && options.asOf.getTime() > generatedAt.getTime() + 5 * 60_000) {
      throw new AppError(ErrorCode.badRequest, 'asOf: a report cannot be as of a time in the future');
    }
  }

  /** T: the moment the report describes. */
  get at(): Date {
    return this.options.asOf ?? this.generatedAt;
  }

  rule(id: string): Rule | undefined {
    return this.content.byId.get(id);
  }

  /** Waivers in force at T: approved by then, not revoked by then, not yet expired. */
  private async loadWaivers(): Promise<Map<string, (Waiver & { id: string })[]>> {
    const t = this.at;
    const rows = await this.prisma.waiver.findMany({
      where: {
        approvedAt: { not: null, lte: t },
        createdAt: { lte: t },
        expiresAt: { gt: t },
        OR: [{ revokedAt: null }, { revokedAt: { gt: t } }],
      },
      orderBy: { createdAt: 'asc' },
    });
    const byRule = new Map<string, (Waiver & { id: string })[]>();
    for (const w of rows) byRule.set(w.ruleId, [...(byRule.get(w.ruleId) ?? []), toEngineWaiver(w)]);
    return byRule;
  }

  private waiverFor(host: ReportHost, ruleId: string): (Waiver & { id: string }) | undefined {
    return this.waivers?.get(ruleId)?.find((w) => {
      const s = w.scope ?? {};
      return Boolean(
        s.hosts?.includes(host.id) || (host.group && s.groups?.includes(host.group)) || s.tags?.some((t) => host.tags.includes(t)),
      );
    });
  }

  /** Every host in scope with at least one verdict at T, in hostname order, with its results. */
  async *hosts(withEvidence = true): AsyncGenerator<HostResults> {
    if (this.options.waivers && !this.waivers) this.waivers = await this.loadWaivers();
    // The next page is read while this one is written: the database and the writer overlap.
    const fetchPage = async (cursor: [string, string] | null) => {
      const hosts = await this.hostPage(cursor);
      const rows = hosts.length
        ? await this.resultRows(
            hosts.map((h) => h.id),
            withEvidence,
          )
        : [];
      return { hosts, rows };
    };
    let next = fetchPage(null);
    for (;;) {
      const { hosts, rows } = await next;
      if (!hosts.length) return;
      const last = hosts[hosts.length - 1] as HostRow;
      if (hosts.length === HOST_PAGE) {
        next = fetchPage([last.hostname, last.id]);
        // Awaited on the next turn; this only keeps a reader that stops early from leaving it unhandled.
        next.catch(() => undefined);
      }
      const byHost = new Map<string, Row[]>();
      for (const r of rows) {
        const list = byHost.get(r.host_id);
        if (list) list.push(r);
        else byHost.set(r.host_id, [r]);
      }
      for (const h of hosts) {
        const host: ReportHost = {
          id: h.id,
          hostname: h.hostname,
          group: h.group_name,
          tags: h.tags ?? [],
          os: h.os,
          osId: h.os_id,
          osVersion: h.os_version,
          profileId: h.profile_id,
        };
        const results = this.toResults(host, byHost.get(h.id) ?? []);
        if (results.length) yield { host, results };
      }
      if (hosts.length < HOST_PAGE) return;
    }
  }

  private toResults(host: ReportHost, rows: Row[]): ReportResult[] {
    const out: ReportResult[] = [];
    for (const r of rows) {
      const rule = this.content.byId.get(r.rule_id);
      if (!rule || !STATUSES.has(r.status)) continue;
      const result: ReportResult = {
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        levels: rule.levels,
        section: rule.section,
        status: r.status as Status,
        evidence: Array.isArray(r.evidence) ? (r.evidence as Result['evidence']) : [],
        references: rule.references,
        firstFailedAt: r.first_failed_at,
        changedAt: r.changed_at,
      };
      if (result.status === 'fail' && this.options.waivers) {
        const w = this.waiverFor(host, rule.id);
        if (w) Object.assign(result, { waived: true, waiver: w });
      }
      out.push(result);
    }
    return out.sort((a, b) => (this.order.get(a.ruleId) ?? 0) - (this.order.get(b.ruleId) ?? 0));
  }

  /**
   * The scope's stored score samples (see scores/sampler.ts) in the `days` before T, the last of
   * each day, oldest first. Tags have no series of their own.
   */
  async scoreTrend(days = 30): Promise<{ at: Date; score: number | null; scoreWithWaivers: number | null }[]> {
    const s = this.options.scope;
    if (s.kind === 'tag') return [];
    const [scope, id] = s.kind === 'fleet' ? ['fleet', ''] : [s.kind, s.value];
    const rows = await this.prisma.$queryRawUnsafe<{ at: Date; score: number | null; score_waived: number | null }[]>(
      `SELECT at, score, score_waived FROM (
         SELECT DISTINCT ON (date_trunc('day', at, 'UTC')) at, score, score_waived FROM score_samples
         WHERE scope = $1 AND scope_id = $2 AND at > $3::timestamptz AND at <= $4::timestamptz
         ORDER BY date_trunc('day', at, 'UTC'), at DESC
       ) s ORDER BY at`,
      scope,
      id,
      new Date(this.at.getTime() - days * 86_400_000),
      this.at,
    );
    return rows.map((r) => ({ at: r.at, score: r.score, scoreWithWaivers: r.score_waived }));
  }

  /**
   * Every host in scope (verdicts or not) with the known-vulnerability findings it had at T, in
   * hostname order, a page at a time; hosts without findings are left out.
   */
  async *vulnerabilities(): AsyncGenerator<{ host: ReportHost; findings: FindingAsOf[] }> {
    let cursor: [string, string] | null = null;
    for (;;) {
      const hosts = await this.hostPage(cursor);
      if (!hosts.length) return;
      const byHost = new Map<string, FindingAsOf[]>();
      for (const f of await findingsAsOf(
        this.prisma,
        hosts.map((h) => h.id),
        this.at,
      )) {
        const list = byHost.get(f.hostId);
        if (list) list.push(f);
        else byHost.set(f.hostId, [f]);
      }
      for (const h of hosts) {
        const findings = byHost.get(h.id);
        if (findings)
          yield {
            host: {
              id: h.id,
              hostname: h.hostname,
              group: h.group_name,
              tags: h.tags ?? [],
              os: h.os,
              osId: h.os_id,
              osVersion: h.os_version,
              profileId: h.profile_id,
            },
            findings,
          };
      }
      if (hosts.length < HOST_PAGE) return;
      const last = hosts[hosts.length - 1] as HostRow;
      cursor = [last.hostname, last.id];
    }
  }

  private hostPage(cursor: [string, string] | null): Promise<HostRow[]> {
    const params: unknown[] = [HOST_PAGE];
    const where: string[] = ['TRUE'];
    const s = this.options.scope;
    if (s.kind !== 'fleet') {
      params.push(s.value);
      where.push(
        s.kind === 'group'
          ? `group_name = $${params.length}`
          : s.kind === 'tag'
            ? `$${params.length} = ANY(tags)`
            : `id = $${params.length}::uuid`,
      );
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(hostname, id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    return this.prisma.$queryRawUnsafe<HostRow[]>(
      `SELECT id::text AS id, hostname, group_name, tags, os, os_id, os_version, profile_id FROM hosts
       WHERE ${where.join(' AND ')} ORDER BY hostname, id LIMIT $1`,
      ...params,
    );
  }

  private resultRows(hostIds: string[], withEvidence: boolean): Promise<Row[]> {
    const params: unknown[] = [hostIds, this.generatedAt];
    let rules = '';
    if (this.ruleIds) {
      params.push(this.ruleIds);
      rules = `AND c.rule_id = ANY($${params.length}::text[])`;
    }
    // The latest change per rule is picked on narrow rows (ids only), then fetched whole.
    if (this.options.asOf) {
      params.push(this.options.asOf);
      const evidence = withEvidence ? 'c.evidence' : 'NULL::jsonb';
      return this.prisma.$queryRawUnsafe<Row[]>(
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
    const evidence = withEvidence ? `CASE WHEN ${same} THEN r.evidence ELSE c.evidence END` : 'NULL::jsonb';
    return this.prisma.$queryRawUnsafe<Row[]>(
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
}

/** A waiver as an evidence pack's register lists it: who asked, why, who approved, until when. */
export interface WaiverRecord {
  id: string;
  ruleId: string;
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
