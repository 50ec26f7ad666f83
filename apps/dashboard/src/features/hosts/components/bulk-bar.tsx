import { useId, useState } from 'react';
import type { GroupChoices } from '@/components/group-field';
import { errorMessage } from '@/lib/api-client';
import { formatCount } from '@/lib/format';
import type { HostListParams } from '@/lib/query-keys';
import { filterOf, useBulkUpdateHosts, type BulkChange } from '../api/bulk-update-hosts';

const NO_GROUP = '\u0000none';

/**
 * Acts on the checked hosts, or on every host matching the list's filters: set the group, add or
 * remove a tag. Says what it will touch before, and what it did after.
 */
export function BulkBar({
  selected,
  allMatching,
  total,
  params,
  groups,
  onSelectAllMatching,
  onClear,
}: {
  selected: string[];
  allMatching: boolean;
  total: number;
  params: HostListParams;
  groups: GroupChoices;
  onSelectAllMatching: () => void;
  onClear: () => void;
}) {
  const groupId = useId();
  const tagId = useId();
  const [group, setGroup] = useState('');
  const [tag, setTag] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const bulk = useBulkUpdateHosts();
  const count = allMatching ? total : selected.length;
  if (count === 0 && !done) return null;

  const run = (change: BulkChange, what: string) => {
    setDone(null);
    bulk.mutate(
      { target: allMatching ? { filter: filterOf(params) } : { ids: selected }, change },
      {
        onSuccess: (r) => {
          setDone(`${what}: ${formatCount(r.updated)} of ${formatCount(r.matched)} ${r.matched === 1 ? 'host' : 'hosts'} updated.`);
          onClear();
        },
      },
    );
  };

  /** Adds or removes the typed tag on the selection; `outcome` says which (added or removed). */
  const tagButton = (label: string, change: BulkChange, outcome: string) => (
    <button
      type="button"
      className="btn btn-small"
      disabled={!tag.trim() || bulk.isPending}
      onClick={() => run(change, `Tag ${tag.trim()} ${outcome}`)}
    >
      {label}
    </button>
  );

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk changes">
      {count > 0 ? (
        <>
          <strong>{allMatching ? `All ${formatCount(total)} hosts matching the filter` : `${formatCount(count)} selected`}</strong>
          {!allMatching && total > selected.length ? (
            <button type="button" className="btn btn-small" onClick={onSelectAllMatching}>
              Select all {formatCount(total)} matching
            </button>
          ) : null}
          <button type="button" className="btn btn-small" onClick={onClear}>
            Clear selection
          </button>
          <span className="bulk-group">
            <label htmlFor={groupId}>Group</label>
            <select id={groupId} value={group} onChange={(e) => setGroup(e.target.value)}>
              <option value="">Choose…</option>
              <option value={NO_GROUP}>No group</option>
              {(Array.isArray(groups) ? groups : []).map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small"
              disabled={!group || bulk.isPending}
              onClick={() => run({ group: group === NO_GROUP ? null : group }, group === NO_GROUP ? 'Group removed' : `Moved to ${group}`)}
            >
              Set group
            </button>
          </span>
          <span className="bulk-group">
            <label htmlFor={tagId}>Tag</label>
            <input id={tagId} value={tag} maxLength={64} onChange={(e) => setTag(e.target.value)} />
            {tagButton('Add tag', { addTags: [tag.trim()] }, 'added')}
            {tagButton('Remove tag', { removeTags: [tag.trim()] }, 'removed')}
          </span>
        </>
      ) : null}
      <span role="status" className="small">
        {bulk.isPending ? 'Updating…' : bulk.isError ? <span className="form-error">{errorMessage(bulk.error)}</span> : done}
      </span>
    </div>
  );
}
