import { bundledContent } from '@plumbline/benchmarks/content';
import { parseRuleFiles, type Content } from '@plumbline/benchmarks/load';
import type { Rule } from '@plumbline/benchmarks/schema';
import { tailor, type Selection } from '@plumbline/benchmarks/tailoring';
import type { DbClient } from '../db/open';
import type { Tx } from '../db/write-batch';
import { activeCustomFiles, customFilesDefining, findGroup, type CustomRuleFileRow } from './repository';

/** The profile a host is judged by when its group names none (or it has no group). */
export const DEFAULT_PROFILE = 'cis-l1-server';

export interface GroupPolicy {
  profileId: string;
  tailoring: { rules?: Record<string, { enabled?: boolean; params?: Record<string, unknown> }> };
  allowedPorts: unknown[];
}

const UNKNOWN_RULE_TTL_MS = 30_000;

export interface CustomRuleInfo {
  rule: Rule;
  file: string;
  version: number;
}

/**
 * Which rules judge a host, and with which parameters: its group's profile with the
 * group's tailoring, plus the latest version of the custom rule files it enables, cached
 * per group until the group changes (an upload of an enabled file touches the group).
 */
export class PolicyService {
  readonly content: Content = bundledContent();
  private readonly cache = new Map<string, { version: string; selection: Selection }>();
  /** Custom rules this process has seen, by rule id (the newest version it loaded). */
  private readonly custom = new Map<string, CustomRuleInfo>();
  /** Parsed rule files by row id: a stored version never changes, so it is parsed once. */
  private readonly parsed = new Map<string, Rule[]>();
  /** Rule ids looked up and found nowhere, until when not to look again. */
  private readonly unknown = new Map<string, number>();

  constructor(private readonly prisma: DbClient) {}

  rule(id: string): Rule | undefined {
    return this.content.byId.get(id) ?? this.custom.get(id)?.rule;
  }

  /** Ids of the known rules whose id or title holds `text` (any case). */
  rulesMatching(text: string, max = 500): string[] {
    const needle = text.toLowerCase();
    const out: string[] = [];
    for (const rule of [...this.content.byId.values(), ...[...this.custom.values()].map((c) => c.rule)]) {
      if (out.length >= max) break;
      if (rule.title.toLowerCase().includes(needle) || rule.id.toLowerCase().includes(needle)) out.push(rule.id);
    }
    return out;
  }

  customRule(id: string): CustomRuleInfo | undefined {
    return this.custom.get(id);
  }

  /**
   * Makes rule() know custom rules stored by another replica (or before this process
   * started); a no-op when every id is known already, which is the usual case.
   */
  async knowRules(ids: Iterable<string>, client: DbClient | Tx = this.prisma): Promise<void> {
    const now = Date.now();
    const missing = [...new Set(ids)].filter((id) => !this.rule(id) && !((this.unknown.get(id) ?? 0) > now));
    if (!missing.length) return;
    const rows = await customFilesDefining(client, missing);
    for (const row of rows) this.rulesOf(row);
    // Ids no file defines (a bundled rule since removed, say) are not looked up again for a while.
    // Callers pass ids from requests: bounded, so made-up ids cannot grow it without end.
    if (this.unknown.size > 10_000) this.unknown.clear();
    for (const id of missing) if (!this.rule(id)) this.unknown.set(id, now + UNKNOWN_RULE_TTL_MS);
  }

  /** Every custom rule in force now (latest version of each file not retired). */
  async activeCustomRules(): Promise<CustomRuleInfo[]> {
    const files = await activeCustomFiles(this.prisma);
    return files.flatMap((f) => this.rulesOf(f).map((rule) => ({ rule, file: f.name, version: f.version })));
  }

  /** A stored file's rules; its version was validated at upload. */
  rulesOf(row: CustomRuleFileRow): Rule[] {
    let rules = this.parsed.get(row.id);
    if (!rules) {
      // Parsed without throwing: should a later engine refuse a rule, the others still apply.
      rules = parseRuleFiles([{ path: row.name, text: row.source }]).rules.filter((r) => !this.content.byId.has(r.id));
      this.parsed.set(row.id, rules);
    }
    for (const rule of rules) {
      const seen = this.custom.get(rule.id);
      if (!seen || seen.file !== row.name || seen.version <= row.version)
        this.custom.set(rule.id, { rule, file: row.name, version: row.version });
    }
    return rules;
  }

  /** Forgets a retired file's rules, so the catalogue stops naming them. */
  forgetFile(name: string): void {
    for (const [id, info] of this.custom) if (info.file === name) this.custom.delete(id);
  }

  /** Builds a selection from a policy; throws ContentError naming what is unknown. */
  select(policy: GroupPolicy, customRules: Rule[] = []): Selection {
    const selection = tailor(this.content, { extends: policy.profileId, rules: policy.tailoring.rules ?? {} }, (path, message) => ({
      file: 'tailoring',
      line: 0,
      message: `${path.join('.')}: ${message}`,
    }));
    // Custom rules the group enables apply whatever the profile's levels: enabling is the choice.
    const chosen = new Set(selection.rules.map((r) => r.id));
    selection.rules = [...selection.rules, ...customRules.filter((r) => !chosen.has(r.id))];
    // The group's port allow-list extends every listening-port rule's own (ssh, loopback...).
    if (policy.allowedPorts.length) {
      for (const r of selection.rules) {
        const def = r.params?.allowed;
        if (def?.type !== 'listeners') continue;
        const current = (selection.params[r.id]?.allowed as unknown[] | undefined) ?? (def.default as unknown[]);
        selection.params[r.id] = { ...(selection.params[r.id] ?? {}), allowed: [...current, ...policy.allowedPorts] };
      }
    }
    return selection;
  }

  async selectionFor(groupName: string | null): Promise<Selection> {
    if (!groupName) return this.cached('', '', async () => this.select({ profileId: DEFAULT_PROFILE, tailoring: {}, allowedPorts: [] }));
    const group = await findGroup(this.prisma, groupName);
    if (!group) return this.selectionFor(null);
    return this.cached(groupName, group.updatedAt.toISOString(), async () => {
      const files = group.customRules.length ? await activeCustomFiles(this.prisma, group.customRules) : [];
      return this.select(
        {
          profileId: group.profileId,
          tailoring: group.tailoring as GroupPolicy['tailoring'],
          allowedPorts: group.allowedPorts as unknown[],
        },
        files.flatMap((f) => this.rulesOf(f)),
      );
    });
  }

  /**
   * The selection for a group whose row has this `updated_at` (ISO), when built already; the
   * default profile's when the host has no group or its group row is gone. Never does I/O,
   * so an ingest can ask from inside its transaction (on the embedded database a query
   * there would wait for the one connection the transaction holds).
   */
  cachedSelection(groupName: string | null, groupVersion: string | null): Selection | undefined {
    if (!groupName || groupVersion === null) {
      const hit = this.cache.get('');
      if (hit) return hit.selection;
      const selection = this.select({ profileId: DEFAULT_PROFILE, tailoring: {}, allowedPorts: [] });
      this.cache.set('', { version: '', selection });
      return selection;
    }
    const hit = this.cache.get(groupName);
    return hit?.version === groupVersion ? hit.selection : undefined;
  }

  private async cached(key: string, version: string, build: () => Promise<Selection>): Promise<Selection> {
    const hit = this.cache.get(key);
    if (hit && hit.version === version) return hit.selection;
    const selection = await build();
    this.cache.set(key, { version, selection });
    return selection;
  }
}
