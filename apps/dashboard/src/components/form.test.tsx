import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CheckField, FilterSelect } from './form';

const noop = () => undefined;

describe('FilterSelect', () => {
  it('offers the "all" choice first, with an empty value', () => {
    const html = renderToStaticMarkup(
      <FilterSelect label="Kind" all="All kinds" value="" options={['fact', 'baseline']} onChange={noop} />,
    );
    expect(html).toMatch(
      /<label for="[^"]+">Kind<\/label><select id="[^"]+"><option value="" selected="">All kinds<\/option><option value="fact">fact/,
    );
  });

  it('keeps a value from a shared link that the options do not list', () => {
    const html = renderToStaticMarkup(<FilterSelect label="Group" all="All groups" value="retired" options={['web']} onChange={noop} />);
    expect(html).toContain('<option value="retired" selected="">retired</option>');
  });

  it('uses the labels of labelled options', () => {
    const html = renderToStaticMarkup(
      <FilterSelect
        label="Direction"
        all="All directions"
        value=""
        options={[{ value: 'regression', label: 'Regression' }]}
        onChange={noop}
      />,
    );
    expect(html).toContain('<option value="regression">Regression</option>');
  });
});

describe('CheckField', () => {
  it('ties its label to the checkbox', () => {
    const html = renderToStaticMarkup(<CheckField label="Apply waivers" checked onChange={noop} />);
    const id = /<input id="([^"]+)" type="checkbox"/.exec(html)?.[1];
    expect(id).toBeTruthy();
    expect(html).toContain(`<label for="${id}">Apply waivers</label>`);
    expect(html).toContain('checked=""');
  });
});
