import { describe, expect, it } from 'vitest';
import { applyHostListPatch, CLEAR_HOST_FILTERS, hasHostFilters, HOST_LIST_DEFAULTS, parseHostListParams } from './host-list-params';

const parse = (qs: string) => parseHostListParams(new URLSearchParams(qs));

describe('parseHostListParams', () => {
  it('gives the defaults for an empty query', () => {
    expect(parse('')).toEqual(HOST_LIST_DEFAULTS);
  });

  it('reads every filter from a shared link', () => {
    expect(
      parse(
        'group=mqtt&tag=edge&os=Debian&online=false&minScore=20&maxScore=80.5&failing=plb-ssh-root-login&q=web&sort=score&order=desc&limit=100&offset=200',
      ),
    ).toEqual({
      limit: 100,
      offset: 200,
      q: 'web',
      sort: 'score',
      order: 'desc',
      group: 'mqtt',
      tag: 'edge',
      os: 'debian',
      online: 'false',
      minScore: '20',
      maxScore: '80.5',
      failing: 'plb-ssh-root-login',
    });
  });

  it.each([
    ['sort=password', { sort: 'score' }],
    ['order=sideways', { order: 'asc' }],
    ['online=maybe', { online: '' }],
    ['limit=100000', { limit: 500 }],
    ['limit=abc', { limit: 50 }],
    ['offset=-5', { offset: 0 }],
    ['minScore=abc', { minScore: '' }],
    ['minScore=-10&maxScore=250', { minScore: '0', maxScore: '100' }],
  ])('replaces a malformed value: %s', (qs, expected) => {
    expect(parse(qs)).toMatchObject(expected);
  });

  it('lists the worst hosts first when the URL says nothing', () => {
    expect(parse('')).toMatchObject({ sort: 'score', order: 'asc' });
  });

  it('swaps a reversed score range', () => {
    expect(parse('minScore=90&maxScore=10')).toMatchObject({ minScore: '10', maxScore: '90' });
  });
});

describe('applyHostListPatch', () => {
  it('sets values and drops defaults and empty values from the URL', () => {
    const next = applyHostListPatch(new URLSearchParams('q=web&group=old&offset=100'), { group: 'new', offset: 0, q: '', minScore: '50' });
    expect(next.toString()).toBe('group=new&minScore=50');
  });

  it('round-trips through parse', () => {
    const patch = { tag: 'edge', online: 'true' as const, failing: 'plb-x', maxScore: '40' };
    expect(parseHostListParams(applyHostListPatch(new URLSearchParams(), patch))).toEqual({ ...HOST_LIST_DEFAULTS, ...patch });
  });

  it('clears every filter at once', () => {
    const next = applyHostListPatch(
      new URLSearchParams('group=a&tag=b&os=c&online=true&minScore=1&maxScore=2&failing=r&q=x&sort=hostname'),
      CLEAR_HOST_FILTERS,
    );
    expect(next.toString()).toBe('sort=hostname');
    expect(hasHostFilters(parseHostListParams(next))).toBe(false);
    expect(hasHostFilters(parse('tag=edge'))).toBe(true);
  });
});
