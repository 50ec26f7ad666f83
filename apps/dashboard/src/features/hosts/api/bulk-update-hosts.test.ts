import { HostsFilter } from '@plumbline/protocol/api';
import { describe, expect, it } from 'vitest';
import { HOST_FILTER_KEYS, parseHostListParams } from '../utils/host-list-params';
import { filterOf } from './bulk-update-hosts';

describe('filterOf: "every matching host" sends what the list shows', () => {
  it('carries every filter of the list and its search, as the API reads them', () => {
    const params = parseHostListParams(
      new URLSearchParams('group=web&tag=edge&os=debian&online=true&minScore=20&maxScore=80.5&failing=plb-ssh-root-login&q=db'),
    );
    const filter = filterOf(params);
    // A filter the list gains but the bulk request forgets would change hosts the user does not see.
    expect(Object.keys(filter).sort()).toEqual(['q', ...HOST_FILTER_KEYS].sort());
    expect(HostsFilter.strict().parse(filter)).toEqual({ ...filter, minScore: 20, maxScore: 80.5 });
  });

  it('leaves unset filters out rather than sending empty ones', () => {
    expect(filterOf(parseHostListParams(new URLSearchParams('tag=edge')))).toEqual({ tag: 'edge' });
  });
});
