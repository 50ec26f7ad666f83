import type { Waiver } from '@plumbline/benchmarks/schema';
import type { DbClient } from '../db/open';
import type { Tx } from '../db/write-batch';
import { waiversCovering, type RuleWaiver, type StoredWaiver, type WaiverTargetHost } from './repository';

export type { WaiverTargetHost } from './repository';

/** A waiver row as the ingest reads it (the columns the engine's form needs). */
export interface WaiverRow {
  id: string;
  ruleId: string;
  scopeType: string;
  scopeId: string;
  justification: string;
  expiresAt: Date;
  requestedBy: string;
  approvedBy: string | null;
}

/** Approved, unrevoked, unexpired rule waivers whose scope covers this host, in the engine's form. */
export async function activeWaivers(prisma: DbClient | Tx, host: WaiverTargetHost, now: Date): Promise<Waiver[]> {
  return (await waiversCovering(prisma, host, now)).map(toEngineWaiver);
}

type WaiverFields = Pick<
  RuleWaiver,
  'id' | 'ruleId' | 'scopeType' | 'scopeId' | 'justification' | 'expiresAt' | 'requestedBy' | 'approvedBy'
>;

export function toEngineWaiver(w: WaiverFields): Waiver & { id: string } {
  const key = w.scopeType === 'host' ? 'hosts' : w.scopeType === 'group' ? 'groups' : 'tags';
  return {
    id: w.id,
    ruleId: w.ruleId,
    scope: { [key]: [w.scopeId] },
    justification: w.justification,
    approver: w.approvedBy ?? w.requestedBy,
    expiresAt: w.expiresAt,
  };
}

/** The engine matches host scopes by this name: we scope by host id. */
export const waiverTarget = (host: WaiverTargetHost) => ({
  hostname: host.id,
  groups: host.groupName ? [host.groupName] : [],
  tags: host.tags,
});

/** Whether a waiver's scope (a host id, a group, a tag) covers the host. */
export function covers(w: Pick<StoredWaiver, 'scopeType' | 'scopeId'>, host: WaiverTargetHost): boolean {
  if (w.scopeType === 'host') return w.scopeId === host.id;
  if (w.scopeType === 'group') return w.scopeId === host.groupName;
  return w.scopeType === 'tag' && host.tags.includes(w.scopeId);
}

/** What a waived result or finding shows of its waiver. */
export const appliedWaiver = (w: Pick<StoredWaiver, 'id' | 'justification' | 'expiresAt' | 'requestedBy' | 'approvedBy'>) => ({
  id: w.id,
  justification: w.justification,
  expiresAt: w.expiresAt.toISOString(),
  approver: w.approvedBy ?? w.requestedBy,
});
