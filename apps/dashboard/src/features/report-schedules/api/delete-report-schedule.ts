import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export function deleteReportSchedule(id: string): Promise<unknown> {
  return apiRequest(`/report-schedules/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteReportSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteReportSchedule,
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: ['report-schedules'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
