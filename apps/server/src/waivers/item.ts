import type { WaiverItem } from '@plumbline/protocol/api';
import { AppError, ErrorCode } from '../errors';
import type { StoredWaiver } from './repository';

/** What the API shows of waivers, and the expiry every new waiver is held to. */

export function waiverState(w: StoredWaiver, now: Date): WaiverItem['state'] {
  if (w.revokedAt) return 'revoked';
  if (w.expiresAt <= now) return 'expired';
  return w.approvedAt ? 'active' : 'requested';
}

export function waiverItem(w: StoredWaiver, now = new Date()): WaiverItem {
  return {
    id: w.id,
    ruleId: w.ruleId,
    cve: w.cve,
    scope: { type: w.scopeType as 'host', id: w.scopeId },
    justification: w.justification,
    expiresAt: w.expiresAt.toISOString(),
    requestedBy: w.requestedBy,
    approvedBy: w.approvedBy,
    approvedAt: w.approvedAt?.toISOString() ?? null,
    revokedBy: w.revokedBy,
    revokedAt: w.revokedAt?.toISOString() ?? null,
    createdAt: w.createdAt.toISOString(),
    state: waiverState(w, now),
  };
}

/** A new waiver's expiry: in the future, and at most `maxDays` ahead (the configured maximum). */
export function waiverExpiry(expiresAt: string, now: Date, maxDays: number): Date {
  const at = new Date(expiresAt);
  if (at <= now) throw new AppError(ErrorCode.badRequest, 'expiresAt: must be in the future');
  if (at.getTime() - now.getTime() > maxDays * 86_400_000)
    throw new AppError(ErrorCode.badRequest, `expiresAt: at most ${maxDays} days ahead`);
  return at;
}
