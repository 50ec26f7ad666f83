import { Link } from 'react-router';
import { ScoreLegend } from '@/components/score-legend';
import { formatCount } from '@/lib/format';
import { scoreBand, scoreRangeQuery } from '@/lib/score-bands';
import type { FleetSummary } from '@plumbline/protocol/api';

/** The hosts list for a score range, worst first. */
export function hostsInRange(from: number, to: number): string {
  const { minScore, maxScore } = scoreRangeQuery(from, to);
  const qs = new URLSearchParams({ minScore, ...(maxScore && { maxScore }), sort: 'score', order: 'asc' });
  return `/hosts?${qs.toString()}`;
}

/**
 * Hosts per 10-point score bucket, coloured by score band; each bar opens the hosts list
 * filtered to its range. HTML rather than SVG, so every bar is a real link.
 */
export function ScoreDistribution({ distribution }: { distribution: FleetSummary['distribution'] }) {
  const max = Math.max(1, ...distribution.map((b) => b.hosts));
  return (
    <figure className="chart">
      <ol className="distribution" aria-label="Hosts by score">
        {distribution.map((b) => {
          const range = `${b.from}–${b.to}%`;
          return (
            <li key={b.from}>
              {/* The link's name is its visible text plus the words around it (no aria-label that hides what is shown). */}
              <Link to={hostsInRange(b.from, b.to)} data-band={scoreBand(b.from)}>
                <span className="dist-count">{b.hosts > 0 ? formatCount(b.hosts) : ''}</span>
                <span className="visually-hidden">
                  {`${formatCount(b.hosts)} ${b.hosts === 1 ? 'host' : 'hosts'} scoring ${b.from} to ${b.to === 100 ? 100 : `under ${b.to}`}%`}
                </span>
                <span
                  className={`dist-bar band-${scoreBand(b.from)}`}
                  style={{ height: b.hosts > 0 ? `max(3px, calc((100% - 2.6em) * ${b.hosts / max}))` : 0 }}
                />
                <span className="dist-label">{range.replace('%', '')}</span>
              </Link>
            </li>
          );
        })}
      </ol>
      <figcaption>
        <ScoreLegend />
      </figcaption>
    </figure>
  );
}
