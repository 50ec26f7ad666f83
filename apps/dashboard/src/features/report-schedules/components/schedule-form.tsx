import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import type { ReportScheduleCreateInput } from '@plumbline/protocol/outbound';
import { useCreateReportSchedule } from '../api/create-report-schedule';

const FORMATS = ['csv', 'json', 'html', 'pdf', 'oscal'] as const;
const FRAMEWORKS = ['cis', 'nist', 'iso27001', 'jcstar'] as const;
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface FormState {
  name: string;
  cadence: 'daily' | 'weekly';
  weekday: number;
  hour: number;
  format: (typeof FORMATS)[number];
  scope: string;
  profile: string;
  framework: '' | (typeof FRAMEWORKS)[number];
  waivers: boolean;
  destinationType: 'directory' | 'webhook';
  target: string;
}

const INITIAL: FormState = { name: '', cadence: 'daily', weekday: 1, hour: 6, format: 'pdf', scope: 'fleet', profile: '', framework: '', waivers: true, destinationType: 'directory', target: '' };

function toInput(f: FormState): ReportScheduleCreateInput {
  return {
    name: f.name.trim(),
    cadence: f.cadence,
    ...(f.cadence === 'weekly' && { weekday: f.weekday }),
    hour: f.hour,
    report: { format: f.format, scope: f.scope.trim() || 'fleet', waivers: f.waivers, ...(f.profile.trim() && { profile: f.profile.trim() }), ...(f.framework && { framework: f.framework }) },
    destination: f.destinationType === 'directory' ? { type: 'directory', path: f.target.trim() } : { type: 'webhook', url: f.target.trim() },
  };
}

/** A new report schedule: when (UTC), what, and where it goes. */
export function ScheduleForm() {
  const id = useId();
  const create = useCreateReportSchedule();
  const [form, setForm] = useState<FormState>(INITIAL);
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(toInput(form), { onSuccess: () => setForm(INITIAL) });
  };
  return (
    <>
      <form onSubmit={submit} aria-label="Create a report schedule">
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input id={`${id}-name`} value={form.name} onChange={(e) => set({ name: e.target.value })} required placeholder="weekly CIS L1 for audit" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-cadence`}>Cadence</label>
            <select id={`${id}-cadence`} value={form.cadence} onChange={(e) => set({ cadence: e.target.value as FormState['cadence'] })}>
              <option value="daily">daily</option>
              <option value="weekly">weekly</option>
            </select>
          </div>
          {form.cadence === 'weekly' ? (
            <div className="field">
              <label htmlFor={`${id}-weekday`}>Weekday</label>
              <select id={`${id}-weekday`} value={form.weekday} onChange={(e) => set({ weekday: Number(e.target.value) })}>
                {WEEKDAYS.map((d, i) => (
                  <option key={d} value={i}>
                    {d}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-hour`}>Hour (UTC)</label>
            <input id={`${id}-hour`} type="number" min={0} max={23} value={form.hour} onChange={(e) => set({ hour: Number(e.target.value) })} required />
          </div>
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-format`}>Format</label>
            <select id={`${id}-format`} value={form.format} onChange={(e) => set({ format: e.target.value as FormState['format'] })}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-scope`}>Scope</label>
            <input id={`${id}-scope`} value={form.scope} onChange={(e) => set({ scope: e.target.value })} placeholder="fleet, group:web, tag:pci, host:<id>" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-profile`}>Profile</label>
            <input id={`${id}-profile`} value={form.profile} onChange={(e) => set({ profile: e.target.value })} placeholder="each host's own" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-framework`}>Framework view</label>
            <select id={`${id}-framework`} value={form.framework} onChange={(e) => set({ framework: e.target.value as FormState['framework'] })}>
              <option value="">none</option>
              {FRAMEWORKS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-check">
            <input id={`${id}-waivers`} type="checkbox" checked={form.waivers} onChange={(e) => set({ waivers: e.target.checked })} />
            <label htmlFor={`${id}-waivers`}>Apply waivers</label>
          </div>
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-dest`}>Destination</label>
            <select id={`${id}-dest`} value={form.destinationType} onChange={(e) => set({ destinationType: e.target.value as FormState['destinationType'], target: '' })}>
              <option value="directory">directory on the server</option>
              <option value="webhook">URL (HTTP POST)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-target`}>{form.destinationType === 'directory' ? 'Directory (absolute path)' : 'URL'}</label>
            <input
              id={`${id}-target`}
              value={form.target}
              onChange={(e) => set({ target: e.target.value })}
              required
              type={form.destinationType === 'webhook' ? 'url' : 'text'}
              placeholder={form.destinationType === 'directory' ? '/var/lib/plumbline/reports' : 'https://archive.example.com/reports'}
            />
          </div>
        </div>
        <div className="form-row">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create schedule'}
          </button>
        </div>
      </form>
      {create.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
      {create.isSuccess ? (
        <p className="muted" role="status">
          Schedule {create.data.name} created.
        </p>
      ) : null}
    </>
  );
}
