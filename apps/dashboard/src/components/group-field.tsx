import type { UseQueryResult } from '@tanstack/react-query';
import type { GroupItem, Page } from '@plumbline/protocol/api';
import { SelectField, TextField, plainOptions } from '@/components/form';

/** The existing group names, `'loading'` until they arrive, or null when they could not be read. */
export type GroupChoices = string[] | 'loading' | null;

export function groupChoices(query: Pick<UseQueryResult<Page<GroupItem>>, 'data' | 'isPending'>): GroupChoices {
  if (query.data) return query.data.items.map((g) => g.name);
  return query.isPending ? 'loading' : null;
}

/**
 * A group picked among the existing ones. While they load, the choice waits, disabled, and
 * keeps a value it was given (from a shared link, say): a pick is never made on a field that
 * is about to turn into another. A value the list does not hold stays choosable. If the
 * groups cannot be read, a name can still be typed.
 */
export function GroupField({
  groups,
  value,
  onChange,
  none,
  placeholder = 'group name',
}: {
  groups: GroupChoices;
  value: string;
  onChange: (group: string) => void;
  /** The label of the empty choice: "No group", "Choose a group". */
  none: string;
  /** Shown in the box a name is typed into when the groups could not be read. */
  placeholder?: string;
}) {
  if (groups === null) return <TextField label="Group" value={value} onChange={onChange} placeholder={placeholder} />;
  if (groups === 'loading') {
    const options = [value ? { value, label: value } : { value: '', label: 'Loading groups…' }];
    return <SelectField label="Group" value={value} options={options} onChange={onChange} disabled />;
  }
  const extra = value && !groups.includes(value) ? [value] : [];
  return (
    <SelectField
      label="Group"
      value={value}
      options={[{ value: '', label: none }, ...plainOptions([...extra, ...groups])]}
      onChange={onChange}
    />
  );
}
