import { useId, useState, type FormEvent } from 'react';
import { GroupField, type GroupChoices } from '@/components/group-field';
import { errorMessage } from '@/lib/api-client';
import { useUpdateHost } from '../api/update-host';
import type { HostDetail } from '@plumbline/protocol/api';
import { parseTags, tagsProblem } from '../utils/tags';

/** Moves the host to another group and sets its tags (operators and admins). */
export function HostMembership({ host, groups, onClose }: { host: HostDetail; groups: GroupChoices; onClose: () => void }) {
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
      <GroupField groups={groups} value={group} onChange={setGroup} none="No group" placeholder="none" />
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
