import type { ReportScheduleItem } from '@plumbline/protocol/outbound';
import { useState } from 'react';
import { Pagination } from '@/components/pagination';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { errorMessage } from '@/lib/api-client';
import { useDeleteReportSchedule } from '../api/delete-report-schedule';
import { useReportSchedules } from '../api/get-report-schedules';
import { useRunReportSchedule } from '../api/run-report-schedule';
import { WEEKDAYS } from './schedule-form';

const PAGE = 20;

const when = (s: ReportScheduleItem) => `${s.cadence === 'weekly' ? `${WEEKDAYS[s.weekday ?? 0]}s` : 'daily'} at ${String(s.hour).padStart(2, '0')}:00 UTC`;
const what = (s: ReportScheduleItem) => [s.report.format, s.report.scope, s.report.profile, s.report.framework, s.report.waivers ? null : 'no waivers'].filter(Boolean).join(' · ');

function Actions({ s }: { s: ReportScheduleItem }) {
  const run = useRunReportSchedule();
  const remove = useDeleteReportSchedule();
  const error = run.error ?? remove.error;
  return (
    <>
      <button type="button" className="btn btn-small" disabled={run.isPending} aria-label={`Run report schedule ${s.name} now`} onClick={() => run.mutate(s.id)}>
        {run.isPending ? 'Running…' : 'Run now'}
      </button>
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={remove.isPending}
        aria-label={`Delete report schedule ${s.name}`}
        onClick={() => {
          if (window.confirm(`Delete the report schedule “${s.name}”? Reports already written stay where they are.`)) remove.mutate(s.id);
        }}
      >
        {remove.isPending ? 'Deleting…' : 'Delete'}
      </button>
      {run.data ? (
        <span className={`small ${run.data.ok ? 'muted' : 'form-error'}`} role="status">
          {run.data.ok ? `Done: ${run.data.result ?? ''}` : `Failed: ${run.data.error ?? ''}`}
        </span>
      ) : null}
      {error ? (
        <span className="form-error small" role="alert">
          {errorMessage(error)}
        </span>
      ) : null}
    </>
  );
}

function LastRun({ s }: { s: ReportScheduleItem }) {
  if (!s.lastRunAt) return <span className="muted">never</span>;
  return (
    <>
      <span className={`badge ${s.lastStatus === 'ok' ? 'badge-ok' : 'badge-bad'}`}>{s.lastStatus === 'ok' ? 'ok' : 'failed'}</span> <RelativeTime iso={s.lastRunAt} />
      <div className="muted small">{s.lastStatus === 'ok' ? s.lastResult : s.lastError}</div>
    </>
  );
}

/** Report schedules with their last outcome and next run. */
export function ScheduleList({ canEdit }: { canEdit: boolean }) {
  const [offset, setOffset] = useState(0);
  const schedules = useReportSchedules({ limit: PAGE, offset });
  if (schedules.isPending) return <LoadingState label="Loading report schedules…" />;
  if (schedules.isError) return <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />;
  if (schedules.data.items.length === 0) return <EmptyState title="No report schedules yet" />;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="visually-hidden">Report schedules</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">When</th>
              <th scope="col">Report</th>
              <th scope="col">Destination</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              {canEdit ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {schedules.data.items.map((s) => (
              <tr key={s.id}>
                <th scope="row" className="cell-primary">
                  {s.name}
                </th>
                <td>{when(s)}</td>
                <td className="small">{what(s)}</td>
                <td className="mono small">{s.destination.target}</td>
                <td className="nowrap">
                  <AbsoluteTime iso={s.nextRunAt} />
                </td>
                <td>
                  <LastRun s={s} />
                </td>
                {canEdit ? (
                  <td className="row-actions">
                    <Actions s={s} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Report schedule pages" offset={offset} limit={PAGE} total={schedules.data.total} shown={schedules.data.items.length} onChange={setOffset} />
    </>
  );
}
