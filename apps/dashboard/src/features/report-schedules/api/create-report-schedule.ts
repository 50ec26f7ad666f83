import type { ReportScheduleItem } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface ReportScheduleInput {
  name: string;
  cadence: 'daily' | 'weekly';
  weekday?: number;
  hour: number;
  report: { format: 'csv' | 'json' | 'html' | 'pdf' | 'oscal'; scope: string; profile?: string; framework?: 'cis' | 'nist' | 'iso27001' | 'jcstar'; waivers: boolean };
  destination: { type: 'directory'; path: string } | { type: 'webhook'; url: string };
}

export function createReportSchedule(input: ReportScheduleInput): Promise<ReportScheduleItem> {
  return apiRequest<ReportScheduleItem>('/report-schedules', { method: 'POST', body: input });
}

export function useCreateReportSchedule() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createReportSchedule, onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['report-schedules'] }), client.invalidateQueries({ queryKey: ['audit'] })]) });
}
