import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function deleteReportSchedule(id: string): Promise<unknown> {
  return apiRequest(`/report-schedules/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteReportSchedule() {
  return useRefreshingMutation(deleteReportSchedule, [['report-schedules'], ['audit']]);
}
