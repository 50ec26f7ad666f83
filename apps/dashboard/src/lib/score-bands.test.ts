import { describe, expect, it } from 'vitest';
import { scoreBand, scoreRangeQuery } from './score-bands';

describe('scoreBand', () => {
  it.each([
    [null, 'none'],
    [0, 'critical'],
    [49.9, 'critical'],
    [50, 'poor'],
    [69.9, 'poor'],
    [70, 'fair'],
    [89.9, 'fair'],
    [90, 'good'],
    [100, 'good'],
  ] as const)('%s -> %s', (score, band) => {
    expect(scoreBand(score)).toBe(band);
  });
});

describe('scoreRangeQuery', () => {
  it('takes a bucket up to its upper bound, exclusive, and leaves the top one open', () => {
    expect(scoreRangeQuery(50, 60)).toEqual({ minScore: '50', maxScore: '59.9' });
    expect(scoreRangeQuery(90, 100)).toEqual({ minScore: '90', maxScore: '' });
  });
});
