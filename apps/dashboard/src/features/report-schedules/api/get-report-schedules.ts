import type { ReportScheduleItem } from '@plumbline/protocol/outbound';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface ReportScheduleList {
  items: ReportScheduleItem[];
  total: number;
}

export function getReportSchedules(params: { limit: number; offset: number }, signal?: AbortSignal): Promise<ReportScheduleList> {
  return apiRequest<ReportScheduleList>('/report-schedules', { query: { ...params }, signal });
}

export const reportSchedulesQueryOptions = (params: { limit: number; offset: number }) =>
  queryOptions({ queryKey: ['report-schedules', params], queryFn: ({ signal }) => getReportSchedules(params, signal), placeholderData: keepPreviousData });

export function useReportSchedules(params: { limit: number; offset: number }) {
  return useQuery(reportSchedulesQueryOptions(params));
}
