import { useId, useState, type FormEvent } from 'react';
import { CheckField, SelectField, SubmitButton, TextField, plainOptions, type Option } from '@/components/form';
import { GroupField, type GroupChoices } from '@/components/group-field';
import { errorMessage } from '@/lib/api-client';
import { dateInputValue } from '@/lib/format';
import { useDownloadReport } from '../api/download-report';
import {
  FRAMEWORKS,
  REPORT_FORMATS,
  REPORT_PROFILES,
  REPORT_SECTIONS,
  reportRequest,
  SCOPE_KINDS,
  VULNERABILITY_FORMATS,
  type ReportForm as Form,
  type ReportSection,
} from '../utils/report-form';
import { ReportSignature } from './report-signature';

export interface HostOption {
  id: string;
  label: string;
}

const FORMAT_OPTIONS: Record<ReportSection, Option<Form['format']>[]> = {
  compliance: REPORT_FORMATS.map((f) => ({ value: f.id, label: f.label })),
  vulnerabilities: VULNERABILITY_FORMATS.map((f) => ({ value: f.id, label: f.label })),
};
const SECTION_OPTIONS: Option<ReportSection>[] = REPORT_SECTIONS.map((x) => ({ value: x.id, label: x.label }));
const FRAMEWORK_OPTIONS: Option[] = [{ value: '', label: 'Profile sections' }, ...FRAMEWORKS.map((f) => ({ value: f.id, label: f.label }))];

const SCOPE_LABELS: Record<(typeof SCOPE_KINDS)[number], string> = {
  fleet: 'Whole fleet',
  group: 'A group',
  tag: 'A tag',
  host: 'One host',
};

/**
 * The export form. Its state is the page URL (`form`/`onChange`), so a report's settings
 * can be shared. Groups fill a select; hosts are found by name (`onHostQuery`). The report is
 * of the compliance verdicts, or of the known-vulnerability findings (CSV or JSON) as of its date.
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
  groups: GroupChoices;
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
          <SelectField
            label="Report"
            value={form.section}
            options={SECTION_OPTIONS}
            onChange={(section) =>
              set({
                section,
                // The findings are a CSV or the JSON report; a format they do not come in becomes CSV.
                format:
                  section === 'vulnerabilities' && !FORMAT_OPTIONS.vulnerabilities.some((o) => o.value === form.format)
                    ? 'csv'
                    : form.format,
              })
            }
          />
          <SelectField label="Format" value={form.format} options={FORMAT_OPTIONS[form.section]} onChange={(format) => set({ format })} />
          {form.section === 'compliance' ? (
            <>
              <SelectField
                label="Profile"
                value={form.profile}
                options={[{ value: '', label: "Each host's own profile" }, ...plainOptions(REPORT_PROFILES)]}
                onChange={(profile) => set({ profile })}
              />
              <SelectField
                label="Framework view"
                value={form.framework}
                options={FRAMEWORK_OPTIONS}
                onChange={(framework) => set({ framework })}
              />
            </>
          ) : null}
          <TextField
            label="As of (end of day, your time)"
            hint="Empty: now."
            type="date"
            value={form.asOf}
            max={dateInputValue(0)}
            onChange={(asOf) => set({ asOf })}
          />
          <CheckField label="Apply waivers" checked={form.waivers} onChange={(waivers) => set({ waivers })} />
        </div>
        {form.section === 'vulnerabilities' ? (
          <p className="small muted">
            Every known-vulnerability finding the hosts in scope had on that date (kernels installed but not running left out), with its
            package, installed and fixed versions, exposure and priority; with waivers applied, those a CVE waiver covered are marked.
          </p>
        ) : null}

        <fieldset className="subsection">
          <legend>Scope</legend>
          <div className="radio-row">
            {SCOPE_KINDS.map((k) => (
              <label key={k}>
                <input
                  type="radio"
                  name={`${id}-scope`}
                  value={k}
                  checked={form.scopeKind === k}
                  onChange={() => set({ scopeKind: k, scopeValue: '' })}
                />
                {SCOPE_LABELS[k]}
              </label>
            ))}
          </div>
          <div className="form-row">
            {form.scopeKind === 'group' ? (
              <GroupField groups={groups} value={form.scopeValue} onChange={(scopeValue) => set({ scopeValue })} none="Choose a group" />
            ) : null}
            {form.scopeKind === 'tag' ? (
              <TextField label="Tag" value={form.scopeValue} onChange={(scopeValue) => set({ scopeValue })} placeholder="e.g. pci" />
            ) : null}
            {form.scopeKind === 'host' ? (
              <>
                <TextField
                  label="Find a host"
                  type="search"
                  value={hostQuery}
                  onChange={(text) => {
                    setHostQuery(text);
                    onHostQuery(text);
                  }}
                  placeholder="hostname"
                />
                <SelectField
                  label="Host"
                  value={form.scopeValue}
                  options={[
                    { value: '', label: hosts === null ? 'Loading hosts…' : hosts.length ? 'Choose a host' : 'No host matches' },
                    ...(hosts ?? []).map((h) => ({ value: h.id, label: h.label })),
                  ]}
                  onChange={(scopeValue) => set({ scopeValue })}
                />
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
          <SubmitButton pending={download.isPending} pendingLabel="Generating…">
            Download signed report
          </SubmitButton>
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
