import { shownCounts } from '@plumbline/benchmarks/score';
import type { HostSummary } from '@plumbline/protocol/api';
import { SKEW_THRESHOLD_SECONDS } from './clock';
import type { HostRow } from './repository';

/** An agent is online while connected and heard from within three intervals (at least 90 s). */
export function isOnline(h: Pick<HostRow, 'connected' | 'lastSeenAt' | 'intervalSeconds'>, now = Date.now()): boolean {
  if (!h.connected || !h.lastSeenAt) return false;
  const staleAfter = Math.max(90, 3 * (h.intervalSeconds ?? 30)) * 1000;
  return now - h.lastSeenAt.getTime() <= staleAfter;
}

/** `duplicates`: the hostnames more than one host has (see duplicateHostnames). */
export function hostSummary(h: HostRow, duplicates: ReadonlySet<string> = new Set()): HostSummary {
  return {
    id: h.id,
    hostname: h.hostname,
    os: h.os,
    osId: h.osId,
    osVersion: h.osVersion,
    kernel: h.kernel,
    arch: h.arch,
    agentVersion: h.agentVersion,
    group: h.groupName,
    tags: h.tags,
    online: isOnline(h),
    lastSeenAt: h.lastSeenAt?.toISOString() ?? null,
    createdAt: h.createdAt.toISOString(),
    score: h.score,
    scoreWithWaivers: h.scoreWaived,
    counts: shownCounts({ pass: h.passCount, fail: h.failCount, waived: h.waivedCount, notapplicable: h.naCount, error: h.errorCount }),
    profile: h.profileId,
    clockSkewSeconds: h.clockSkewSeconds,
    clockSkewed: Math.abs(h.clockSkewSeconds) > SKEW_THRESHOLD_SECONDS,
    identityConflict: h.identityConflictAt !== null,
    duplicateHostname: duplicates.has(h.hostname),
  };
}
