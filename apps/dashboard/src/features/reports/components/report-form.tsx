import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import { dateInputValue } from '@/lib/format';
import { useDownloadReport } from '../api/download-report';
import { FRAMEWORKS, REPORT_FORMATS, REPORT_PROFILES, reportRequest, SCOPE_KINDS, type ReportForm as Form } from '../utils/report-form';
import { ReportSignature } from './report-signature';

export interface HostOption {
  id: string;
  label: string;
}

const SCOPE_LABELS: Record<(typeof SCOPE_KINDS)[number], string> = { fleet: 'Whole fleet', group: 'A group', tag: 'A tag', host: 'One host' };

/**
 * The export form. Its state is the page URL (`form`/`onChange`), so a report's settings
 * can be shared. Groups fill a select; hosts are found by name (`onHostQuery`).
 */
export function ReportForm({
  form,
  onChange,
  groups,
  hosts,
  onHostQuery,
}: {
  form: Form;
  onChange: (form: Form) => void;
  groups: string[] | null;
  hosts: HostOption[] | null;
  onHostQuery: (q: string) => void;
}) {
  const id = useId();
  const download = useDownloadReport();
  const [problem, setProblem] = useState<string | null>(null);
  const [hostQuery, setHostQuery] = useState('');
  const set = (patch: Partial<Form>) => {
    setProblem(null);
    onChange({ ...form, ...patch });
  };

  const request = reportRequest(form, new Date());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = reportRequest(form, new Date());
    if (!r.ok) {
      setProblem(r.error);
      return;
    }
    setProblem(null);
    download.mutate({ href: r.href, fallbackName: `plumbline-report.${form.format === 'oscal' ? 'oscal.json' : form.format}` });
  };

  return (
    <>
      <form className="report-form" onSubmit={submit} aria-label="Export a compliance report" noValidate>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-format`}>Format</label>
            <select id={`${id}-format`} value={form.format} onChange={(e) => set({ format: e.target.value as Form['format'] })}>
              {REPORT_FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-profile`}>Profile</label>
            <select id={`${id}-profile`} value={form.profile} onChange={(e) => set({ profile: e.target.value })}>
              <option value="">Each host's own profile</option>
              {REPORT_PROFILES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-framework`}>Framework view</label>
            <select id={`${id}-framework`} value={form.framework} onChange={(e) => set({ framework: e.target.value })}>
              <option value="">Profile sections</option>
              {FRAMEWORKS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-asof`}>As of (end of day, your time)</label>
            <input id={`${id}-asof`} type="date" value={form.asOf} max={dateInputValue(0)} onChange={(e) => set({ asOf: e.target.value })} aria-describedby={`${id}-asof-hint`} />
            <span id={`${id}-asof-hint`} className="field-hint">
              Empty: now.
            </span>
          </div>
          <div className="field field-check">
            <input id={`${id}-waivers`} type="checkbox" checked={form.waivers} onChange={(e) => set({ waivers: e.target.checked })} />
            <label htmlFor={`${id}-waivers`}>Apply waivers</label>
          </div>
        </div>

        <fieldset className="subsection">
          <legend>Scope</legend>
          <div className="radio-row">
            {SCOPE_KINDS.map((k) => (
              <label key={k}>
                <input type="radio" name={`${id}-scope`} value={k} checked={form.scopeKind === k} onChange={() => set({ scopeKind: k, scopeValue: '' })} />
                {SCOPE_LABELS[k]}
              </label>
            ))}
          </div>
          <div className="form-row">
            {form.scopeKind === 'group' ? (
              <div className="field">
                <label htmlFor={`${id}-group`}>Group</label>
                {groups ? (
                  <select id={`${id}-group`} value={form.scopeValue} onChange={(e) => set({ scopeValue: e.target.value })}>
                    <option value="">Choose a group</option>
                    {form.scopeValue && !groups.includes(form.scopeValue) ? <option value={form.scopeValue}>{form.scopeValue}</option> : null}
                    {groups.map((g) => (
                      <option key={g} value={g}>
                        {g}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id={`${id}-group`} value={form.scopeValue} onChange={(e) => set({ scopeValue: e.target.value })} />
                )}
              </div>
            ) : null}
            {form.scopeKind === 'tag' ? (
              <div className="field">
                <label htmlFor={`${id}-tag`}>Tag</label>
                <input id={`${id}-tag`} value={form.scopeValue} onChange={(e) => set({ scopeValue: e.target.value })} placeholder="e.g. pci" />
              </div>
            ) : null}
            {form.scopeKind === 'host' ? (
              <>
                <div className="field">
                  <label htmlFor={`${id}-hostq`}>Find a host</label>
                  <input
                    id={`${id}-hostq`}
                    type="search"
                    value={hostQuery}
                    onChange={(e) => {
                      setHostQuery(e.target.value);
                      onHostQuery(e.target.value);
                    }}
                    placeholder="hostname"
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-host`}>Host</label>
                  <select id={`${id}-host`} value={form.scopeValue} onChange={(e) => set({ scopeValue: e.target.value })}>
                    <option value="">{hosts === null ? 'Loading hosts…' : hosts.length ? 'Choose a host' : 'No host matches'}</option>
                    {(hosts ?? []).map((h) => (
                      <option key={h.id} value={h.id}>
                        {h.label}
                      </option>
                    ))}
                  </select>
                </div>
              </>
            ) : null}
          </div>
        </fieldset>

        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        {download.isError ? (
          <p className="form-error" role="alert">
            The report could not be exported: {errorMessage(download.error)}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={download.isPending}>
            {download.isPending ? 'Generating…' : 'Download signed report'}
          </button>
          {request.ok ? (
            // A plain link streams straight to disk: for very large reports (the signature is then in the headers only).
            <a href={request.href} className="small">
              Direct link
            </a>
          ) : null}
          <span className="muted small" role="status">
            {download.isPending ? 'Generating the report on the server…' : ''}
          </span>
        </div>
      </form>
      {download.data ? <ReportSignature report={download.data} /> : null}
    </>
  );
}
