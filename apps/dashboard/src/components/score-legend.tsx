import { SCORE_BANDS } from '@/lib/score-bands';

/** What each score colour means; shown wherever scores are coloured in bulk (distribution, triage). */
export function ScoreLegend() {
  return (
    <ul className="score-legend" aria-label="Score bands">
      {SCORE_BANDS.map((b) => (
        <li key={b.id}>
          <span className={`legend-swatch band-${b.id}`} aria-hidden="true" />
          <span>
            <strong>{b.label}</strong> {b.to >= 100 ? `${b.from}–100` : `${b.from}–<${b.to}`}%: <span className="muted">{b.meaning}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
