import { offsetParam, useUrlParams } from '@/lib/use-url-params';

/** What the trail records, by area: the action filter is a choice from these, not free text. */
export const AUDIT_ACTIONS: { area: string; actions: string[] }[] = [
  { area: 'Sign-in', actions: ['login', 'login.failed', 'logout'] },
  {
    area: 'Users',
    actions: [
      'user.create',
      'user.role',
      'user.disable',
      'user.enable',
      'user.password.change',
      'user.password.reset',
      'user.password.set',
    ],
  },
  { area: 'Credentials', actions: ['apikey.create', 'apikey.revoke', 'token.create', 'token.revoke', 'agent.enroll', 'agent.revoke'] },
  { area: 'Hosts', actions: ['host.update', 'host.hostname', 'host.machine_id', 'host.identity_conflict', 'host.identity_resolved'] },
  { area: 'Groups', actions: ['group.policy', 'group.custom-rules', 'group.golden_host.set', 'group.golden_host.clear'] },
  { area: 'Baselines', actions: ['baseline.approve', 'baseline.clear'] },
  { area: 'Waivers', actions: ['waiver.create', 'waiver.approve', 'waiver.revoke'] },
  { area: 'Rules', actions: ['rules.upload', 'rules.retire'] },
  { area: 'Vulnerability data', actions: ['vulndb.import'] },
  { area: 'Reports', actions: ['report.export', 'report-schedule.create', 'report-schedule.delete'] },
  { area: 'Webhooks', actions: ['webhook.create', 'webhook.delete'] },
];

export interface AuditFilters {
  actor: string;
  action: string;
  target: string;
  offset: number;
}

const parseAuditFilters = (search: URLSearchParams): AuditFilters => ({
  actor: (search.get('actor') ?? '').trim(),
  action: (search.get('action') ?? '').trim(),
  target: (search.get('target') ?? '').trim(),
  offset: offsetParam(search),
});

/** The audit page's filters live in the URL, so a view can be shared. */
export function useAuditParams() {
  const { values: filters, update } = useUrlParams<AuditFilters, Partial<AuditFilters>>(parseAuditFilters);
  return { filters, update };
}
