import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EnrollmentTokenCreate, EnrollmentTokenCreated } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';

export function createEnrollmentToken(input: EnrollmentTokenCreate): Promise<EnrollmentTokenCreated> {
  return apiRequest<EnrollmentTokenCreated>('/enrollment-tokens', { method: 'POST', body: input });
}

export function useCreateEnrollmentToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createEnrollmentToken,
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: ['audit'] }), client.invalidateQueries({ queryKey: ['enrollment-tokens'] })]),
  });
}
