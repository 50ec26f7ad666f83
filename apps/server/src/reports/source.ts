import type { Result, Status } from '@plumbline/benchmarks/engine';
import type { Content } from '@plumbline/benchmarks/load';
import { profileRules } from '@plumbline/benchmarks/load';
import type { Rule, Waiver } from '@plumbline/benchmarks/schema';
import { compareSectionIds } from '@plumbline/benchmarks/score';
import { AppError, ErrorCode } from '../errors';
import type { DbClient } from '../db/open';
import { toEngineWaiver } from '../waivers/active';
import { cveWaiversInForceAt, type StoredWaiver } from '../waivers/repository';
import { feeds, findingsAsOf, type FeedRow, type FindingAsOf } from '../vulnerabilities/repository';
import { markWaived, type Waived } from '../vulnerabilities/waivers';
import type { ReportOptions } from './options';
import {
  dailyScoreSamples,
  reportHostPage,
  reportResultRows,
  waiversInForceAt,
  type ReportHostRow,
  type ReportResultRow,
} from './repository';

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

/** A finding as a report shows it: as it was at T, and the CVE waiver that covered it then, if any. */
export type ReportFinding = Waived<FindingAsOf>;

export interface HostResults {
  host: ReportHost;
  results: ReportResult[];
}

/** A host row of the report queries as the report shows it. */
function reportHost(h: ReportHostRow): ReportHost {
  return {
    id: h.id,
    hostname: h.hostname,
    group: h.group_name,
    tags: h.tags ?? [],
    os: h.os,
    osId: h.os_id,
    osVersion: h.os_version,
    profileId: h.profile_id,
  };
}

const HOST_PAGE = 100;

const STATUSES = new Set<string>(['pass', 'fail', 'notapplicable', 'error']);

export class ReportSource {
  /** Rules the report is limited to (a profile, a framework), or null for every rule a host has. */
  readonly ruleIds: string[] | null;
  readonly profileTitle: string | null;
  private waivers: Map<string, (Waiver & { id: string })[]> | null = null;
  /** Rules in report order (by section, then id), computed once. */
  private readonly order: Map<string, number>;

  constructor(
    private readonly prisma: DbClient,
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
    const rows = await waiversInForceAt(this.prisma, this.at);
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
      const last = hosts[hosts.length - 1] as ReportHostRow;
      if (hosts.length === HOST_PAGE) {
        next = fetchPage([last.hostname, last.id]);
        // Awaited on the next turn; this only keeps a reader that stops early from leaving it unhandled.
        next.catch(() => undefined);
      }
      const byHost = new Map<string, ReportResultRow[]>();
      for (const r of rows) {
        const list = byHost.get(r.host_id);
        if (list) list.push(r);
        else byHost.set(r.host_id, [r]);
      }
      for (const h of hosts) {
        const host = reportHost(h);
        const results = this.toResults(host, byHost.get(h.id) ?? []);
        if (results.length) yield { host, results };
      }
      if (hosts.length < HOST_PAGE) return;
    }
  }

  private toResults(host: ReportHost, rows: ReportResultRow[]): ReportResult[] {
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
    const rows = await dailyScoreSamples(this.prisma, scope, id, new Date(this.at.getTime() - days * 86_400_000), this.at);
    return rows.map((r) => ({ at: r.at, score: r.score, scoreWithWaivers: r.score_waived }));
  }

  /**
   * Every host in scope (verdicts or not) with the known-vulnerability findings it had at T, in
   * hostname order, a page at a time; hosts without findings are left out. With waivers applied,
   * a finding a CVE waiver in force at T covered is marked with it.
   */
  async *vulnerabilities(): AsyncGenerator<{ host: ReportHost; findings: ReportFinding[] }> {
    let cursor: [string, string] | null = null;
    for (;;) {
      const hosts = await this.hostPage(cursor);
      if (!hosts.length) return;
      const found = await findingsAsOf(
        this.prisma,
        hosts.map((h) => h.id),
        this.at,
      );
      const hostById = new Map(hosts.map((h) => [h.id, h]));
      const marked = this.options.waivers
        ? await markWaived(this.prisma, found, this.at, (f) => {
            const h = hostById.get(f.hostId) as ReportHostRow;
            return { id: h.id, groupName: h.group_name, tags: h.tags ?? [] };
          })
        : found.map((f) => ({ ...f, waiver: null }));
      const byHost = new Map<string, ReportFinding[]>();
      for (const f of marked) {
        const list = byHost.get(f.hostId);
        if (list) list.push(f);
        else byHost.set(f.hostId, [f]);
      }
      for (const h of hosts) {
        const findings = byHost.get(h.id);
        if (findings)
          yield {
            host: reportHost(h),
            findings,
          };
      }
      if (hosts.length < HOST_PAGE) return;
      const last = hosts[hosts.length - 1] as ReportHostRow;
      cursor = [last.hostname, last.id];
    }
  }

  /** The CVE waivers of these CVEs in force at T (every scope), oldest first. */
  cveWaivers(cves: string[]): Promise<StoredWaiver[]> {
    return cveWaiversInForceAt(this.prisma, cves, this.at);
  }

  /** The advisory feeds imported now: what the findings were matched against. */
  vulnerabilityFeeds(): Promise<FeedRow[]> {
    return feeds(this.prisma);
  }

  private hostPage(cursor: [string, string] | null): Promise<ReportHostRow[]> {
    return reportHostPage(this.prisma, this.options.scope, cursor, HOST_PAGE);
  }

  private resultRows(hostIds: string[], withEvidence: boolean): Promise<ReportResultRow[]> {
    return reportResultRows(this.prisma, hostIds, {
      receivedBy: this.generatedAt,
      asOf: this.options.asOf,
      ruleIds: this.ruleIds,
      withEvidence,
    });
  }
}
