import type { ReportScheduleItem } from '@plumbline/protocol/outbound';
import { ActionButton, ActionError } from '@/components/action-button';
import { actionsColumn, column, type Column } from '@/components/data-table';
import { PagedTable, usePaging } from '@/components/paged-table';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { useDeleteReportSchedule } from '../api/delete-report-schedule';
import { useReportSchedules } from '../api/get-report-schedules';
import { useRunReportSchedule } from '../api/run-report-schedule';
import { WEEKDAYS } from './schedule-form';

const PAGE = 20;

const when = (s: ReportScheduleItem) =>
  `${s.cadence === 'weekly' ? `${WEEKDAYS[s.weekday ?? 0]}s` : 'daily'} at ${String(s.hour).padStart(2, '0')}:00 UTC`;
const what = (s: ReportScheduleItem) =>
  [s.report.format, s.report.scope, s.report.profile, s.report.framework, s.report.waivers ? null : 'no waivers']
    .filter(Boolean)
    .join(' · ');

function Actions({ s }: { s: ReportScheduleItem }) {
  const run = useRunReportSchedule();
  const remove = useDeleteReportSchedule();
  return (
    <>
      <ActionButton
        label="Run now"
        pendingLabel="Running…"
        ariaLabel={`Run report schedule ${s.name} now`}
        onAction={() => run.mutate(s.id)}
        pending={run.isPending}
      />
      <ActionButton
        danger
        label="Delete"
        pendingLabel="Deleting…"
        ariaLabel={`Delete report schedule ${s.name}`}
        confirm={`Delete the report schedule “${s.name}”? Reports already written stay where they are.`}
        onAction={() => remove.mutate(s.id)}
        pending={remove.isPending}
      />
      {run.data ? (
        <span className={`small ${run.data.ok ? 'muted' : 'form-error'}`} role="status">
          {run.data.ok ? `Done: ${run.data.result ?? ''}` : `Failed: ${run.data.error ?? ''}`}
        </span>
      ) : null}
      <ActionError error={run.error ?? remove.error} />
    </>
  );
}

function LastRun({ s }: { s: ReportScheduleItem }) {
  if (!s.lastRunAt) return <span className="muted">never</span>;
  return (
    <>
      <span className={`badge ${s.lastStatus === 'ok' ? 'badge-ok' : 'badge-bad'}`}>{s.lastStatus === 'ok' ? 'ok' : 'failed'}</span>{' '}
      <RelativeTime iso={s.lastRunAt} />
      <div className="muted small">{s.lastStatus === 'ok' ? s.lastResult : s.lastError}</div>
    </>
  );
}

const columns: Column<ReportScheduleItem>[] = [
  column('Name', (s) => s.name, { rowHeader: true }),
  column('When', when),
  column('Report', what, { className: 'small' }),
  column('Destination', (s) => s.destination.target, { className: 'mono small' }),
  column('Next run', (s) => <AbsoluteTime iso={s.nextRunAt} />, { className: 'nowrap' }),
  column('Last run', (s) => <LastRun s={s} />),
];

/** Report schedules with their last outcome and next run. */
export function ScheduleList({ canEdit }: { canEdit: boolean }) {
  const paging = usePaging(PAGE);
  return (
    <PagedTable
      query={useReportSchedules(paging.params)}
      paging={paging}
      loading="Loading report schedules…"
      empty="No report schedules yet"
      pagesLabel="Report schedule pages"
      caption="Report schedules"
      columns={canEdit ? [...columns, actionsColumn<ReportScheduleItem>((s) => <Actions s={s} />)] : columns}
      compact
    />
  );
}
