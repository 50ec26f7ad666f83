import type { ReportScheduleCreateInput, ReportScheduleItem } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export function createReportSchedule(input: ReportScheduleCreateInput): Promise<ReportScheduleItem> {
  return apiRequest<ReportScheduleItem>('/report-schedules', { method: 'POST', body: input });
}

export function useCreateReportSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createReportSchedule,
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: ['report-schedules'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
