import type { ReportScheduleItem } from '@plumbline/protocol/outbound';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';

export const reportSchedulesQueryOptions = (params: ListParams) =>
  listQueryOptions<ReportScheduleItem>(['report-schedules', params], '/report-schedules', params);

export function useReportSchedules(params: ListParams) {
  return useQuery(reportSchedulesQueryOptions(params));
}
