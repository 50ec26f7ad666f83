import { bundledContent } from '@plumbline/benchmarks/content';
import type { Content } from '@plumbline/benchmarks/load';
import type { Rule } from '@plumbline/benchmarks/schema';
import { tailor, type Selection } from '@plumbline/benchmarks/tailoring';
import type { PrismaClient } from '../generated/prisma/client';

/** The profile a host is judged by when its group names none (or it has no group). */
export const DEFAULT_PROFILE = 'cis-l1-server';

export interface GroupPolicy {
  profileId: string;
  tailoring: { rules?: Record<string, { enabled?: boolean; params?: Record<string, unknown> }> };
  allowedPorts: unknown[];
}

/**
 * Which rules judge a host, and with which parameters: its group's profile with the
 * group's tailoring, cached per group until the group's policy changes.
 */
export class PolicyService {
  readonly content: Content = bundledContent();
  private readonly cache = new Map<string, { version: string; selection: Selection }>();

  constructor(private readonly prisma: PrismaClient) {}

  rule(id: string): Rule | undefined {
    return this.content.byId.get(id);
  }

  /** Builds a selection from a policy; throws ContentError naming what is unknown. */
  select(policy: GroupPolicy): Selection {
    const selection = tailor(this.content, { extends: policy.profileId, rules: policy.tailoring.rules ?? {} }, (path, message) => ({
      file: 'tailoring',
      line: 0,
      message: `${path.join('.')}: ${message}`,
    }));
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
    if (!groupName) return this.cached('', '', () => this.select({ profileId: DEFAULT_PROFILE, tailoring: {}, allowedPorts: [] }));
    const group = await this.prisma.group.findUnique({ where: { name: groupName } });
    if (!group) return this.selectionFor(null);
    return this.cached(groupName, group.updatedAt.toISOString(), () =>
      this.select({ profileId: group.profileId, tailoring: group.tailoring as GroupPolicy['tailoring'], allowedPorts: group.allowedPorts as unknown[] }),
    );
  }

  private cached(key: string, version: string, build: () => Selection): Selection {
    const hit = this.cache.get(key);
    if (hit && hit.version === version) return hit.selection;
    const selection = build();
    this.cache.set(key, { version, selection });
    return selection;
  }
}
