import type { ReportScheduleRun } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

/** Runs the schedule now; the answer comes once the report is written or sent. */
export function runReportSchedule(id: string): Promise<ReportScheduleRun> {
  return apiRequest<ReportScheduleRun>(`/report-schedules/${encodeURIComponent(id)}/run`, { method: 'POST' });
}

export function useRunReportSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: runReportSchedule,
    onSettled: () =>
      Promise.all([client.invalidateQueries({ queryKey: ['report-schedules'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
