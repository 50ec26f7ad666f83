import { useState } from 'react';
import { CheckField, CreateForm, SelectField, TextField, plainOptions, type Option } from '@/components/form';
import type { ReportScheduleCreateInput } from '@plumbline/protocol/outbound';
import { useCreateReportSchedule } from '../api/create-report-schedule';

const FORMATS = ['csv', 'json', 'html', 'pdf', 'oscal'] as const;
const FRAMEWORKS = ['cis', 'nist', 'iso27001', 'jcstar'] as const;
const CADENCES = ['daily', 'weekly'] as const;
const DESTINATIONS: Option<'directory' | 'webhook'>[] = [
  { value: 'directory', label: 'directory on the server' },
  { value: 'webhook', label: 'URL (HTTP POST)' },
];
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

const INITIAL: FormState = {
  name: '',
  cadence: 'daily',
  weekday: 1,
  hour: 6,
  format: 'pdf',
  scope: 'fleet',
  profile: '',
  framework: '',
  waivers: true,
  destinationType: 'directory',
  target: '',
};

function toInput(f: FormState): ReportScheduleCreateInput {
  return {
    name: f.name.trim(),
    cadence: f.cadence,
    ...(f.cadence === 'weekly' && { weekday: f.weekday }),
    hour: f.hour,
    report: {
      format: f.format,
      scope: f.scope.trim() || 'fleet',
      waivers: f.waivers,
      ...(f.profile.trim() && { profile: f.profile.trim() }),
      ...(f.framework && { framework: f.framework }),
    },
    destination:
      f.destinationType === 'directory' ? { type: 'directory', path: f.target.trim() } : { type: 'webhook', url: f.target.trim() },
  };
}

/** A new report schedule: when (UTC), what, and where it goes. */
export function ScheduleForm() {
  const create = useCreateReportSchedule();
  const [form, setForm] = useState<FormState>(INITIAL);
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const submit = () => {
    create.mutate(toInput(form), { onSuccess: () => setForm(INITIAL) });
  };
  return (
    <>
      <CreateForm label="Create a report schedule" mutation={create} submitLabel="Create schedule" onSubmit={submit}>
        <div className="form-row">
          <TextField label="Name" value={form.name} onChange={(name) => set({ name })} required placeholder="weekly CIS L1 for audit" />
          <SelectField label="Cadence" value={form.cadence} options={plainOptions(CADENCES)} onChange={(cadence) => set({ cadence })} />
          {form.cadence === 'weekly' ? (
            <SelectField
              label="Weekday"
              value={String(form.weekday)}
              options={WEEKDAYS.map((d, i) => ({ value: String(i), label: d }))}
              onChange={(d) => set({ weekday: Number(d) })}
            />
          ) : null}
          <TextField
            label="Hour (UTC)"
            type="number"
            min={0}
            max={23}
            value={form.hour}
            onChange={(h) => set({ hour: Number(h) })}
            required
          />
        </div>
        <div className="form-row">
          <SelectField label="Format" value={form.format} options={plainOptions(FORMATS)} onChange={(format) => set({ format })} />
          <TextField
            label="Scope"
            value={form.scope}
            onChange={(scope) => set({ scope })}
            placeholder="fleet, group:web, tag:pci, host:<id>"
          />
          <TextField label="Profile" value={form.profile} onChange={(profile) => set({ profile })} placeholder="each host's own" />
          <SelectField
            label="Framework view"
            value={form.framework}
            options={[{ value: '', label: 'none' }, ...plainOptions(FRAMEWORKS)]}
            onChange={(framework) => set({ framework })}
          />
          <CheckField label="Apply waivers" checked={form.waivers} onChange={(waivers) => set({ waivers })} />
        </div>
        <div className="form-row">
          <SelectField
            label="Destination"
            value={form.destinationType}
            options={DESTINATIONS}
            onChange={(destinationType) => set({ destinationType, target: '' })}
          />
          <TextField
            label={form.destinationType === 'directory' ? 'Directory (absolute path)' : 'URL'}
            value={form.target}
            onChange={(target) => set({ target })}
            required
            type={form.destinationType === 'webhook' ? 'url' : 'text'}
            placeholder={form.destinationType === 'directory' ? '/var/lib/plumbline/reports' : 'https://archive.example.com/reports'}
          />
        </div>
      </CreateForm>
      {create.isSuccess ? (
        <p className="muted" role="status">
          Schedule {create.data.name} created.
        </p>
      ) : null}
    </>
  );
}
