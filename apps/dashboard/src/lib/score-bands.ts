/**
 * The score bands every page colours scores by (badges, stats, distribution, legend): one
 * definition, so a colour means the same band everywhere. Bounds fall on the distribution's
 * 10-point buckets; a band holds scores from `from` up to, not including, `to` (100 is Good).
 */
export const SCORE_BANDS = [
  { id: 'critical', label: 'Critical', from: 0, to: 50, meaning: 'basic hardening missing; fix first' },
  { id: 'poor', label: 'Poor', from: 50, to: 70, meaning: 'several high or medium failures' },
  { id: 'fair', label: 'Fair', from: 70, to: 90, meaning: 'mostly hardened; remaining gaps to close' },
  { id: 'good', label: 'Good', from: 90, to: 100, meaning: 'meets the profile apart from a few rules' },
] as const;

export type ScoreBand = (typeof SCORE_BANDS)[number];
export type ScoreBandId = ScoreBand['id'] | 'none';

export function scoreBand(score: number | null | undefined): ScoreBandId {
  if (score === null || score === undefined || Number.isNaN(score)) return 'none';
  return SCORE_BANDS.find((b) => score < b.to)?.id ?? 'good';
}

/** A score range as the hosts list filters it (`minScore` <= score <= `maxScore`, one decimal). */
export function scoreRangeQuery(from: number, to: number): { minScore: string; maxScore: string } {
  return { minScore: String(from), maxScore: to >= 100 ? '' : (to - 0.1).toFixed(1) };
}
