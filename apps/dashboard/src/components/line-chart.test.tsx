import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LineChart } from './line-chart';

const fmt = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
const times = ['2026-11-01T00:00:00.000Z', '2026-11-01T01:00:00.000Z', '2026-11-01T02:00:00.000Z', '2026-11-01T05:00:00.000Z'];

describe('LineChart', () => {
  it('is an image with a title and, for screen readers, a table of every point', () => {
    const html = renderToStaticMarkup(
      <LineChart title="Fleet score" times={times} valueFormat={fmt} series={[{ label: 'Score', tone: 'ok', values: [50, 60, 70, 80] }]} />,
    );
    expect(html).toContain('role="img" aria-label="Fleet score"');
    expect(html).toContain('<caption>Fleet score</caption>');
    expect(html.match(/<tr>/g)).toHaveLength(times.length + 1);
    expect(html).toContain('<td>80.0%</td>');
  });

  it('breaks the line where a value is missing and places points at their time', () => {
    const html = renderToStaticMarkup(
      <LineChart title="t" times={times} valueFormat={fmt} series={[{ label: 'Score', tone: 'ok', values: [50, null, 70, 80] }]} />,
    );
    const d = /<path d="([^"]+)"/.exec(html)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    const xs = [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
    // 00:00, 02:00 and 05:00: the gap to the last point is 1.5 times the one before it.
    expect((xs[2]! - xs[1]!) / (xs[1]! - xs[0]!)).toBeCloseTo(1.5, 1);
    expect(html).toContain('<td>—</td>');
  });

  it('draws a lone point (a new install) as a dot', () => {
    const html = renderToStaticMarkup(
      <LineChart title="t" times={[times[0]!]} valueFormat={fmt} series={[{ label: 'Score', tone: 'ok', values: [42] }]} />,
    );
    expect(html).toMatch(/<circle [^>]*r="3"/);
  });
});
