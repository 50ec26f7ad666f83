import type { FirewallFact } from '@plumbline/protocol/facts';
import { sortRecord } from '../lib/order';

type Family = NonNullable<FirewallFact['iptables']['v4']>;

/**
 * `iptables-save` format (also the rules.v4 / sysconfig files): `*table`, `:CHAIN POLICY
 * [counters]`, `-A CHAIN ...`, `COMMIT`. Counters are dropped: they change on every read.
 */
export function parseIptablesSave(text: string, source: string): Family {
  const policies: Record<string, string> = {};
  const counts: Record<string, number> = {};
  let table = 'filter';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) {
      const [chain, policy] = line.slice(1).split(/\s+/);
      if (!chain) continue;
      if (table === 'filter' && policy && policy !== '-') policies[chain] = policy;
      counts[`${table}/${chain}`] ??= 0;
    } else if (line.startsWith('-A ') || line.startsWith('-I ')) {
      const chain = line.split(/\s+/)[1];
      if (chain) counts[`${table}/${chain}`] = (counts[`${table}/${chain}`] ?? 0) + 1;
    }
  }
  return { source, policies: sortRecord(policies), rule_counts: sortRecord(counts) };
}

/** Whether a family filters anything: a non-ACCEPT policy or at least one rule. */
export function iptablesFilters(f: Family | null): boolean {
  if (!f) return false;
  return Object.values(f.policies).some((p) => p !== 'ACCEPT') || Object.values(f.rule_counts).some((n) => n > 0);
}
