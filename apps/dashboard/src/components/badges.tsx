import { formatScore } from '@/lib/format';
import { scoreBand } from '@/lib/score-bands';

const SEVERITY_TONE: Record<string, string> = { critical: 'bad', high: 'bad', medium: 'warn', low: 'neutral' };

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge badge-${SEVERITY_TONE[severity] ?? 'neutral'} badge-severity`}>{severity}</span>;
}

const STATUS: Record<string, { label: string; tone: string }> = {
  fail: { label: 'Fail', tone: 'bad' },
  pass: { label: 'Pass', tone: 'ok' },
  notapplicable: { label: 'N/A', tone: 'neutral' },
  error: { label: 'Error', tone: 'warn' },
  waived: { label: 'Waived', tone: 'waived' },
};

/** A rule result; a waived failure reads "Waived" (it still fails without waivers). */
export function ResultBadge({ status, waived = false }: { status: string; waived?: boolean }) {
  const s = STATUS[waived && status === 'fail' ? 'waived' : status] ?? { label: status, tone: 'neutral' };
  return <span className={`badge badge-${s.tone}`}>{s.label}</span>;
}

const DIRECTION: Record<string, { label: string; tone: string }> = {
  regression: { label: 'Regression', tone: 'bad' },
  fix: { label: 'Improvement', tone: 'ok' },
  improvement: { label: 'Improvement', tone: 'ok' },
  change: { label: 'Change', tone: 'neutral' },
};

export function DirectionBadge({ direction }: { direction: string }) {
  const d = DIRECTION[direction] ?? { label: direction, tone: 'neutral' };
  return <span className={`badge badge-${d.tone}`}>{d.label}</span>;
}

export function WaiverStateBadge({ state }: { state: string }) {
  const tone = state === 'active' ? 'ok' : state === 'requested' ? 'warn' : 'neutral';
  return <span className={`badge badge-${tone}`}>{state}</span>;
}

export function ScoreBadge({ score }: { score: number | null | undefined }) {
  return <span className={`score score-${scoreBand(score)}`}>{formatScore(score)}</span>;
}
