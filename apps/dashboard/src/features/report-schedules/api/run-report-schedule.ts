import type { ReportScheduleRun } from '@plumbline/protocol/outbound';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

/** Runs the schedule now; the answer comes once the report is written or sent. */
export function runReportSchedule(id: string): Promise<ReportScheduleRun> {
  return apiRequest<ReportScheduleRun>(`/report-schedules/${encodeURIComponent(id)}/run`, { method: 'POST' });
}

export function useRunReportSchedule() {
  return useRefreshingMutation(runReportSchedule, [['report-schedules'], ['audit']], 'settled');
}
