import { useState } from 'react';
import { Link } from 'react-router';
import type { GroupItem } from '@plumbline/protocol/api';
import { Dash } from '@/components/cells';
import { actionsColumn, column, DataTable, type Column } from '@/components/data-table';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatCount } from '@/lib/format';
import { useGroups } from '../api/get-groups';
import { GroupEditor, type RuleOption } from './group-editor';

const allowedPorts = (g: GroupItem) =>
  g.allowedPorts.map((p) => [p.port ?? '*', p.protocol].filter(Boolean).join('/') + (p.process ? ` (${p.process})` : '')).join(', ');

const columns: Column<GroupItem>[] = [
  column(
    'Group',
    (g) => (
      <Link to={`/hosts?group=${encodeURIComponent(g.name)}`} aria-label={`${g.name}: show its hosts`}>
        {g.name}
      </Link>
    ),
    { rowHeader: true },
  ),
  column('Profile', (g) => g.profileId, { className: 'mono' }),
  column('Hosts', (g) => formatCount(g.hosts), { num: true }),
  column('Tailored rules', (g) => formatCount(Object.keys(g.tailoring.rules ?? {}).length), { num: true }),
  column('Allowed ports', (g) => (g.allowedPorts.length > 0 ? allowedPorts(g) : <Dash text="none" />), { className: 'mono small' }),
];

/** Groups with their policy; operators and admins edit one at a time. */
export function GroupsPanel({ canEdit, rules }: { canEdit: boolean; rules: RuleOption[] }) {
  const groups = useGroups();
  // The group being edited, '' for a new one, null when the editor is closed.
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (groups.isPending) return <LoadingState label="Loading groups…" />;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;

  const current = editing ? (groups.data.items.find((g) => g.name === editing) ?? null) : null;
  const editColumn = actionsColumn<GroupItem>((g) => (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => setEditing(g.name)}
      aria-label={`Edit group ${g.name}`}
      aria-expanded={editing === g.name}
    >
      Edit
    </button>
  ));
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
        <DataTable
          items={groups.data.items}
          columns={canEdit ? [...columns, editColumn] : columns}
          caption="Groups and their policy"
          rowKey={(g) => g.name}
          compact
        />
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
