import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { actionsColumn, column, DataTable } from './data-table';

interface Row {
  id: string;
  name: string;
  count: number;
}

const rows: Row[] = [
  { id: 'a', name: 'alpha', count: 3 },
  { id: 'b', name: 'beta', count: 1200 },
];

describe('DataTable', () => {
  it('names each row by its header cell, aligns numbers and reads out the caption and actions', () => {
    const html = renderToStaticMarkup(
      <DataTable
        items={rows}
        caption="Things"
        rowKey={(r) => r.id}
        columns={[
          column<Row>('Name', (r) => r.name, { rowHeader: true }),
          column<Row>('Count', (r) => r.count, { num: true }),
          actionsColumn<Row>(() => <button type="button">Go</button>),
        ]}
      />,
    );
    expect(html).toContain('<caption class="visually-hidden">Things</caption>');
    expect(html).toContain(
      '<th scope="col">Name</th><th scope="col" class="num">Count</th><th scope="col"><span class="visually-hidden">Actions</span></th>',
    );
    expect(html).toContain(
      '<tr><th scope="row" class="cell-primary">alpha</th><td class="num">3</td><td class="row-actions"><button type="button">Go</button></td></tr>',
    );
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('renders a detail row across every column under its item', () => {
    const html = renderToStaticMarkup(
      <DataTable
        items={rows}
        caption="Things"
        showCaption
        rowKey={(r) => r.id}
        columns={[column<Row>('Name', (r) => r.name), column<Row>('Count', (r) => r.count)]}
        detail={(r: Row) => (r.id === 'b' ? 'log of beta' : null)}
      />,
    );
    expect(html).toContain('<caption>Things</caption>');
    expect(html).toContain('<td>1200</td></tr><tr><td colSpan="2">log of beta</td></tr>');
  });
});
