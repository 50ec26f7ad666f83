import type { EnrollmentTokenCreate, EnrollmentTokenCreated } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function createEnrollmentToken(input: EnrollmentTokenCreate): Promise<EnrollmentTokenCreated> {
  return apiRequest<EnrollmentTokenCreated>('/enrollment-tokens', { method: 'POST', body: input });
}

export function useCreateEnrollmentToken() {
  return useRefreshingMutation(createEnrollmentToken, [['audit'], ['enrollment-tokens']]);
}
