import type { ReportScheduleItem } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface RunResult {
  ok: boolean;
  result: string | null;
  error: string | null;
  schedule: ReportScheduleItem;
}

/** Runs the schedule now; the answer comes once the report is written or sent. */
export function runReportSchedule(id: string): Promise<RunResult> {
  return apiRequest<RunResult>(`/report-schedules/${encodeURIComponent(id)}/run`, { method: 'POST' });
}

export function useRunReportSchedule() {
  const client = useQueryClient();
  return useMutation({ mutationFn: runReportSchedule, onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['report-schedules'] }), client.invalidateQueries({ queryKey: ['audit'] })]) });
}
