import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import { useUpdateHost } from '../api/update-host';
import type { HostDetail } from '@plumbline/protocol/api';
import { parseTags, tagsProblem } from '../utils/tags';

/** Moves the host to another group and sets its tags (operators and admins). */
export function HostMembership({ host, groups, onClose }: { host: HostDetail; groups: string[] | null; onClose: () => void }) {
  const id = useId();
  const update = useUpdateHost(host.id);
  const [group, setGroup] = useState(host.group ?? '');
  const [tags, setTags] = useState(host.tags.join(', '));
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = parseTags(tags);
    const p = tagsProblem(list);
    setProblem(p);
    if (p) return;
    update.mutate({ group: group.trim() || null, tags: list }, { onSuccess: onClose });
  };

  return (
    <form className="inline-form host-membership" onSubmit={submit} aria-label={`Group and tags of ${host.hostname}`}>
      <div className="field">
        <label htmlFor={`${id}-group`}>Group</label>
        {groups ? (
          <select id={`${id}-group`} value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="">No group</option>
            {group && !groups.includes(group) ? <option value={group}>{group}</option> : null}
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        ) : (
          <input id={`${id}-group`} value={group} onChange={(e) => setGroup(e.target.value)} placeholder="none" />
        )}
      </div>
      <div className="field field-grow">
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input
          id={`${id}-tags`}
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          placeholder="e.g. pci, edge"
          aria-describedby={`${id}-tags-hint`}
        />
        <span id={`${id}-tags-hint`} className="field-hint">
          Separate with commas or spaces.
        </span>
      </div>
      <button type="submit" className="btn btn-primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      {problem || update.isError ? (
        <p className="form-error" role="alert">
          {problem ?? errorMessage(update.error)}
        </p>
      ) : null}
    </form>
  );
}
