import type { ReportScheduleCreateInput, ReportScheduleItem } from '@plumbline/protocol/outbound';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function createReportSchedule(input: ReportScheduleCreateInput): Promise<ReportScheduleItem> {
  return apiRequest<ReportScheduleItem>('/report-schedules', { method: 'POST', body: input });
}

export function useCreateReportSchedule() {
  return useRefreshingMutation(createReportSchedule, [['report-schedules'], ['audit']]);
}
