import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { GroupField, type GroupChoices } from '@/components/group-field';
import type { HostListParams } from '@/lib/query-keys';
import { hasHostFilters, toScoreBound } from '../utils/host-list-params';

/** os-release IDs seen in the fleets we target; any other ID can be typed. */
const OS_IDS = ['debian', 'ubuntu', 'rhel', 'rocky', 'almalinux', 'centos', 'fedora', 'raspbian', 'alpine'];

type TextFilter = 'tag' | 'os' | 'minScore' | 'maxScore' | 'failing';
const TEXT_FILTERS: TextFilter[] = ['tag', 'os', 'minScore', 'maxScore', 'failing'];

function draftOf(params: HostListParams): Record<TextFilter, string> {
  return { tag: params.tag, os: params.os, minScore: params.minScore, maxScore: params.maxScore, failing: params.failing };
}

/**
 * The hosts list filters. Selects apply at once; typed filters apply on Enter, on leaving
 * the field, or with the Apply button, so a half-typed rule id does not fetch.
 * `groups` and `rules` fill the pickers.
 */
export function HostFilters({
  params,
  onChange,
  onClear,
  groups,
  rules,
}: {
  params: HostListParams;
  onChange: (patch: Partial<HostListParams>) => void;
  onClear: () => void;
  groups: GroupChoices;
  rules: { id: string; title: string }[] | null;
}) {
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(params));
  const seen = useRef(draftOf(params));

  // Follow the URL when it changes (back button, a shared link, Clear, another field's
  // commit), but only for the fields whose value in the URL changed: what is being typed
  // in the other fields stays.
  useEffect(() => {
    const next = draftOf(params);
    const changed = TEXT_FILTERS.filter((k) => next[k] !== seen.current[k]);
    seen.current = next;
    if (changed.length) setDraft((d) => ({ ...d, ...Object.fromEntries(changed.map((k) => [k, next[k]])) }));
  }, [params]);

  const commit = (e?: FormEvent) => {
    e?.preventDefault();
    const patch: Partial<HostListParams> = {};
    for (const key of TEXT_FILTERS) {
      const value = key === 'minScore' || key === 'maxScore' ? toScoreBound(draft[key]) : draft[key].trim();
      if (value !== params[key]) patch[key] = value;
    }
    if (Object.keys(patch).length) onChange({ ...patch, offset: 0 });
  };
  const text = (key: TextFilter) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
    onBlur: () => commit(),
  });

  return (
    <form className="host-filters" onSubmit={commit} aria-label="Filter hosts">
      <GroupField
        groups={groups}
        value={params.group}
        onChange={(group) => onChange({ group, offset: 0 })}
        none="Any group"
        placeholder="any"
      />
      <div className="field">
        <label htmlFor={`${id}-tag`}>Tag</label>
        <input id={`${id}-tag`} {...text('tag')} placeholder="any" size={10} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-os`}>OS id</label>
        <input id={`${id}-os`} list={`${id}-os-ids`} {...text('os')} placeholder="any" size={10} />
        <datalist id={`${id}-os-ids`}>
          {OS_IDS.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`${id}-online`}>State</label>
        <select
          id={`${id}-online`}
          value={params.online}
          onChange={(e) => onChange({ online: e.target.value === 'true' ? 'true' : e.target.value === 'false' ? 'false' : '', offset: 0 })}
        >
          <option value="">Online and offline</option>
          <option value="true">Online</option>
          <option value="false">Offline</option>
        </select>
      </div>
      <fieldset className="field score-range">
        <legend>Score (%)</legend>
        <label htmlFor={`${id}-min`} className="visually-hidden">
          Minimum score
        </label>
        <input id={`${id}-min`} type="number" min={0} max={100} step="any" {...text('minScore')} placeholder="min" />
        <span aria-hidden="true">–</span>
        <label htmlFor={`${id}-max`} className="visually-hidden">
          Maximum score
        </label>
        <input id={`${id}-max`} type="number" min={0} max={100} step="any" {...text('maxScore')} placeholder="max" />
      </fieldset>
      <div className="field field-grow">
        <label htmlFor={`${id}-failing`}>Failing rule</label>
        <input id={`${id}-failing`} list={`${id}-rules`} {...text('failing')} placeholder="rule id" className="mono" />
        {rules ? (
          <datalist id={`${id}-rules`}>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </datalist>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-small">
          Apply
        </button>
        {hasHostFilters(params) ? (
          <button type="button" className="btn btn-small" onClick={onClear}>
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}
