import type { Page } from '@plumbline/protocol/api';
import type { UseQueryResult } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PagedView } from './paged-table';

const loaded = <T,>(page: Page<T>) => ({ isPending: false, isError: false, data: page }) as UseQueryResult<Page<T>>;
const paging = { offset: 0, limit: 2, onOffset: () => undefined };

function view(page: Page<string>, pagerWhenOnePage?: boolean) {
  return renderToStaticMarkup(
    <PagedView
      query={loaded(page)}
      paging={paging}
      loading="Loading…"
      empty="Nothing here"
      pagesLabel="Thing pages"
      pagerWhenOnePage={pagerWhenOnePage}
    >
      {(items) => (
        <ul>
          {items.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </PagedView>,
  );
}

describe('PagedView', () => {
  it('draws the page and the pager under it', () => {
    const html = view({ items: ['a', 'b'], total: 3 });
    expect(html).toContain('<li>a</li><li>b</li>');
    expect(html).toContain('aria-label="Thing pages"');
  });

  it('can leave the pager out while everything fits on one page', () => {
    expect(view({ items: ['a'], total: 1 }, false)).not.toContain('Thing pages');
    expect(view({ items: ['a', 'b'], total: 3 }, false)).toContain('Thing pages');
  });

  it('shows the empty state for an empty page', () => {
    const html = view({ items: [], total: 0 });
    expect(html).toContain('Nothing here');
    expect(html).not.toContain('Thing pages');
  });
});
