import { evaluate } from '@plumbline/benchmarks/engine';
import { applyWaivers, score } from '@plumbline/benchmarks/score';
import type { Selection } from '@plumbline/benchmarks/tailoring';
import type { FactSet } from '@plumbline/protocol/facts';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { PolicyService } from '../policy/policy';
import { compareResults, type StoredResult } from './compare';
import type { FactDiff } from './diff';
import { bumpRuleStats, deleteResults, insertDrift, insertResultChanges, upsertResults, type DriftRow } from './store';
import { activeWaivers, waiverTarget, type WaiverTargetHost } from './waivers';

type Tx = Prisma.TransactionClient;

export interface EvaluationOutcome {
  /** Any verdict changed. */
  changed: boolean;
  score: number | null;
  drift: DriftRow[];
}

/**
 * Judges a host's facts with its effective policy and stores what changed, inside the
 * caller's transaction: verdicts, their history, drift events, per-rule counters, and the
 * host's score with and without waivers.
 */
export class Evaluator {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly policy: PolicyService,
  ) {}

  /**
   * The policy is looked up before the transaction opens: on the embedded database there is
   * one connection, and a query outside the transaction would wait for it forever.
   */
  selectionFor(host: WaiverTargetHost): Promise<Selection> {
    return this.policy.selectionFor(host.groupName);
  }

  async evaluateAndStore(tx: Tx, host: WaiverTargetHost, selection: Selection, facts: FactSet, factDiffs: FactDiff[], observedAt: Date, receivedAt: Date): Promise<EvaluationOutcome> {
    const results = evaluate(selection.rules, facts, { now: observedAt, params: selection.params });
    const storedRows = await tx.ruleResult.findMany({ where: { hostId: host.id }, select: { ruleId: true, status: true, firstFailedAt: true, evidence: true } });
    const stored = new Map<string, StoredResult & { evidence: unknown }>(storedRows.map((r) => [r.ruleId, r]));
    const cmp = compareResults(stored, results, factDiffs, observedAt);
    await upsertResults(tx, host.id, cmp.upserts, observedAt);
    await deleteResults(tx, host.id, cmp.removed);
    await insertResultChanges(tx, host.id, cmp.changes, observedAt, receivedAt);
    await insertDrift(tx, host.id, cmp.drift, observedAt, receivedAt);
    await bumpRuleStats(tx, cmp.stats);
    const s = await this.scoreInto(tx, host, results, receivedAt, selection.profile);
    return { changed: cmp.changes.length > 0 || cmp.removed.length > 0, score: s, drift: cmp.drift };
  }

  /** Recomputes the stored score of hosts from their stored verdicts (after a waiver changed or expired). */
  async rescore(hostIds: string[], now = new Date()): Promise<void> {
    for (const id of hostIds) {
      await this.prisma.$transaction(async (tx) => {
        const host = await tx.host.findUnique({ where: { id }, select: { id: true, groupName: true, tags: true, profileId: true } });
        if (!host) return;
        const rows = await tx.ruleResult.findMany({ where: { hostId: id } });
        const results = rows.flatMap((r) => {
          const rule = this.policy.rule(r.ruleId);
          return rule
            ? [{ ruleId: r.ruleId, title: rule.title, severity: rule.severity, levels: rule.levels, section: rule.section, status: r.status as 'pass', evidence: [], references: rule.references }]
            : [];
        });
        await this.scoreInto(tx, host, results, now, host.profileId);
      });
    }
  }

  private async scoreInto(tx: Tx, host: WaiverTargetHost, results: Parameters<typeof score>[0], now: Date, profileId: string | null): Promise<number | null> {
    const waived = applyWaivers(results, await activeWaivers(tx, host, now), waiverTarget(host), now);
    const s = score(waived);
    await tx.host.update({
      where: { id: host.id },
      data: {
        score: s.score,
        scoreWaived: s.withWaivers,
        passCount: s.counts.pass,
        failCount: s.counts.fail,
        waivedCount: s.counts.waived,
        naCount: s.counts.notapplicable,
        errorCount: s.counts.error,
        passWeight: s.weight.pass,
        failWeight: s.weight.fail,
        waivedWeight: s.weight.waived,
        profileId,
        evaluatedAt: now,
      },
    });
    return s.score;
  }
}
