import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

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
  { area: 'Reports', actions: ['report.export', 'report-schedule.create', 'report-schedule.delete'] },
  { area: 'Webhooks', actions: ['webhook.create', 'webhook.delete'] },
];

export interface AuditFilters {
  actor: string;
  action: string;
  target: string;
  offset: number;
}

/** The audit page's filters live in the URL, so a view can be shared. */
export function useAuditParams() {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo<AuditFilters>(() => {
    const offset = Number.parseInt(search.get('offset') ?? '0', 10);
    return {
      actor: (search.get('actor') ?? '').trim(),
      action: (search.get('action') ?? '').trim(),
      target: (search.get('target') ?? '').trim(),
      offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
    };
  }, [search]);
  const update = useCallback(
    (patch: Partial<AuditFilters>) =>
      setSearch(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === '' || v === 0 || v === undefined) next.delete(k);
            else next.set(k, String(v));
          }
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );
  return { filters, update };
}
