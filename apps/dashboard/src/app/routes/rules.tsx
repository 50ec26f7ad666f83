import { DownloadCsv } from '@/components/download-csv';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { FilterSelect, SelectField, TextField, type Option } from '@/components/form';
import { PagedView } from '@/components/paged-table';
import { useRules, type RuleListParams } from '@/features/rules/api/get-rules';
import { RulesTable } from '@/features/rules/components/rules-table';
import { formatCount } from '@/lib/format';

const PAGE = 100;
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const PROFILES = ['cis-l1-server', 'cis-l2-server', 'edge-device'];
const SORTS: Option<NonNullable<RuleListParams['sort']>>[] = [
  { value: 'failingHosts', label: 'Most failing first' },
  { value: 'severity', label: 'Most severe first' },
  { value: 'id', label: 'By id' },
];

export function RulesRoute() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const severity = SEVERITIES.includes(params.get('severity') ?? '') ? (params.get('severity') as string) : '';
  const profile = PROFILES.includes(params.get('profile') ?? '') ? (params.get('profile') as string) : '';
  const section = (params.get('section') ?? '').slice(0, 32);
  const sortParam = params.get('sort');
  const sort = SORTS.find((s) => s.value === sortParam)?.value ?? 'failingHosts';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const rules = useRules({ q, limit: PAGE, offset, severity, section, profile, sort });
  const filtered = Boolean(q || severity || profile || section);
  // Filters live in the URL (shareable); a change of filter goes back to the first page.
  const set = (patch: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v && v !== '0' && !(k === 'sort' && v === 'failingHosts')) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader title="Rules" documentTitle="Rules">
        {rules.data ? <span className="page-count">{formatCount(rules.data.total)}</span> : null}
      </PageHeader>
      <div className="toolbar" role="group" aria-label="Filter rules">
        <TextField
          className="field field-inline"
          label="Find a rule"
          type="search"
          value={q}
          onChange={(text) => set({ q: text, offset: '' })}
          placeholder="id, title or reference"
        />
        <FilterSelect label="Severity" all="Any" value={severity} options={SEVERITIES} onChange={(v) => set({ severity: v, offset: '' })} />
        <FilterSelect label="Profile" all="Any" value={profile} options={PROFILES} onChange={(v) => set({ profile: v, offset: '' })} />
        <TextField
          className="field field-inline"
          label="Section"
          value={section}
          onChange={(text) => set({ section: text.trim(), offset: '' })}
          placeholder="e.g. 5.2"
          size={8}
          inputClassName="mono"
        />
        <SelectField
          className="field field-inline"
          label="Order"
          value={sort}
          options={SORTS}
          onChange={(v) => set({ sort: v, offset: '' })}
        />
        {filtered ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => set({ q: '', severity: '', profile: '', section: '', offset: '' })}
          >
            Clear filters
          </button>
        ) : null}
        <DownloadCsv path="/rules" query={{ q, severity, section, profile, sort }} />
      </div>
      <PagedView
        query={rules}
        paging={{ offset, limit: PAGE, onOffset: (o) => set({ offset: String(o) }) }}
        loading="Loading rules…"
        empty={filtered ? 'No rule matches these filters' : 'No rules loaded'}
        pagesLabel="Rules pages"
      >
        {(items) => <RulesTable rules={items} caption={`Rules, ${SORTS.find((s) => s.value === sort)?.label.toLowerCase()}`} />}
      </PagedView>
    </>
  );
}
