import type { AppliedWaiver } from '@plumbline/protocol/api';
import type { DbClient } from '../db/open';
import { appliedWaiver, covers, type WaiverTargetHost } from '../waivers/active';
import { cveWaiversInForceAt } from '../waivers/repository';
import { findings, type FindingFilter, type StoredFinding } from './repository';

/** A finding with the CVE waiver that covers it, or null: waived findings stay listed, marked. */
export type Waived<T> = T & { waiver: AppliedWaiver | null };

/**
 * Marks each finding with the oldest CVE waiver in force at `at` (now, or a report's time) whose
 * scope covers the finding's host; `hostOf` says which host that is.
 */
export async function markWaived<T extends { cve: string }>(
  prisma: DbClient,
  rows: T[],
  at: Date,
  hostOf: (row: T) => WaiverTargetHost,
): Promise<Waived<T>[]> {
  const byCve = new Map<string, Awaited<ReturnType<typeof cveWaiversInForceAt>>>();
  for (const w of await cveWaiversInForceAt(prisma, [...new Set(rows.map((r) => r.cve))], at)) {
    byCve.set(w.cve as string, [...(byCve.get(w.cve as string) ?? []), w]);
  }
  return rows.map((r) => {
    const w = byCve.get(r.cve)?.find((x) => covers(x, hostOf(r)));
    return { ...r, waiver: w ? appliedWaiver(w) : null };
  });
}

/**
 * Stored findings under the filters, each marked with the CVE waiver in force now that covers it;
 * `waived: false` leaves the waived ones out, `waived: true` keeps only them.
 */
export async function findingsWithWaivers(
  prisma: DbClient,
  where: FindingFilter & { waived?: boolean | undefined },
  now = new Date(),
): Promise<Waived<StoredFinding>[]> {
  const rows = await markWaived(prisma, await findings(prisma, where), now, (f) => ({ id: f.hostId, groupName: f.group, tags: f.tags }));
  return where.waived === undefined ? rows : rows.filter((f) => (f.waiver !== null) === where.waived);
}
