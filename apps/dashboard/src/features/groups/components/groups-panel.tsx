import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatCount } from '@/lib/format';
import { useGroups } from '../api/get-groups';
import { GroupEditor, type RuleOption } from './group-editor';

/** Groups with their policy; operators and admins edit one at a time. */
export function GroupsPanel({ canEdit, rules }: { canEdit: boolean; rules: RuleOption[] }) {
  const groups = useGroups();
  // The group being edited, '' for a new one, null when the editor is closed.
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (groups.isPending) return <LoadingState label="Loading groups…" />;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;

  const current = editing ? (groups.data.items.find((g) => g.name === editing) ?? null) : null;
  const close = (name?: string) => {
    setEditing(null);
    setSaved(name ?? null);
  };
  return (
    <>
      {saved ? (
        <p className="form-ok" role="status">
          Group {saved} saved; its hosts are being judged again.
        </p>
      ) : null}
      {groups.data.items.length === 0 ? (
        <EmptyState title="No groups yet">A group gives its hosts a profile, a tailoring and a listening-port allow-list.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="visually-hidden">Groups and their policy</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Profile</th>
                <th scope="col" className="num">
                  Hosts
                </th>
                <th scope="col" className="num">
                  Tailored rules
                </th>
                <th scope="col">Allowed ports</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {groups.data.items.map((g) => (
                <tr key={g.name}>
                  <th scope="row" className="cell-primary">
                    <Link to={`/hosts?group=${encodeURIComponent(g.name)}`} aria-label={`${g.name}: show its hosts`}>
                      {g.name}
                    </Link>
                  </th>
                  <td className="mono">{g.profileId}</td>
                  <td className="num">{formatCount(g.hosts)}</td>
                  <td className="num">{formatCount(Object.keys(g.tailoring.rules ?? {}).length)}</td>
                  <td className="mono small">
                    {g.allowedPorts.length
                      ? g.allowedPorts.map((p) => [p.port ?? '*', p.protocol].filter(Boolean).join('/') + (p.process ? ` (${p.process})` : '')).join(', ')
                      : <span className="muted">none</span>}
                  </td>
                  {canEdit ? (
                    <td className="row-actions">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(g.name)} aria-label={`Edit group ${g.name}`} aria-expanded={editing === g.name}>
                        Edit
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && editing === null ? (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => setEditing('')}>
            New group…
          </button>
        </div>
      ) : null}
      {canEdit && editing !== null ? (
        // Keyed so that switching groups starts from that group's stored policy.
        <GroupEditor key={editing} group={current} rules={rules} onDone={(name) => close(name)} onCancel={() => close()} />
      ) : null}
    </>
  );
}
