import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GroupField, groupChoices } from './group-field';

const noop = () => undefined;
const render = (groups: Parameters<typeof GroupField>[0]['groups'], value = '') =>
  renderToStaticMarkup(<GroupField groups={groups} value={value} onChange={noop} none="No group" />);

describe('GroupField', () => {
  it('waits, disabled, while the groups load', () => {
    expect(render('loading')).toMatch(/<select id="[^"]+" disabled=""><option value="" selected="">Loading groups…<\/option><\/select>/);
  });

  it('keeps a value it was given while the groups load', () => {
    expect(render('loading', 'web')).toMatch(/<select id="[^"]+" disabled=""><option value="web" selected="">web<\/option><\/select>/);
  });

  it('offers the empty choice first, then the existing groups', () => {
    const html = render(['db', 'web'], 'web');
    expect(html).not.toContain('disabled');
    expect(html).toMatch(/<option value="">No group<\/option><option value="db">db<\/option><option value="web" selected="">web<\/option>/);
  });

  it('keeps a value the list does not hold choosable', () => {
    expect(render(['db'], 'retired')).toMatch(
      /<option value="">No group<\/option><option value="retired" selected="">retired<\/option><option value="db">/,
    );
  });

  it('takes a typed name when the groups could not be read', () => {
    const html = render(null, 'web');
    expect(html).toMatch(/<label for="([^"]+)">Group<\/label><input placeholder="group name" id="\1" value="web"\/>/);
    expect(html).not.toContain('<select');
  });
});

describe('groupChoices', () => {
  it('tells loading from failed', () => {
    expect(groupChoices({ data: undefined, isPending: true })).toBe('loading');
    expect(groupChoices({ data: undefined, isPending: false })).toBeNull();
    expect(groupChoices({ data: { items: [{ name: 'web' }], total: 1 } as never, isPending: false })).toEqual(['web']);
  });
});
