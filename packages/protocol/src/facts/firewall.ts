import { z } from 'zod';

const line = z.number().int().positive();
const policy = z.enum(['allow', 'deny', 'reject']).nullable();

/** One ufw rule from the `### tuple ###` comments ufw keeps in user.rules / user6.rules. */
export const UfwRule = z.object({
  action: z.string(),
  protocol: z.string(),
  to: z.string(),
  to_port: z.string(),
  from: z.string(),
  from_port: z.string(),
  direction: z.enum(['in', 'out', 'fwd']),
  interface: z.string().nullable(),
  v6: z.boolean(),
  file: z.string(),
  line,
});

export const NftChain = z.object({
  name: z.string(),
  /** Base chain hook (input, forward, output, prerouting...), null for a regular chain. */
  hook: z.string().nullable(),
  type: z.string().nullable(),
  policy: z.string().nullable(),
  rules: z.number().int().nonnegative(),
});

export const NftTable = z.object({ family: z.string(), name: z.string(), chains: z.array(NftChain) });

/** iptables policies and rule counts of one address family (filter table). */
export const IptablesFamily = z.object({
  /** `iptables-save`, `ip6tables-save` or the rules file read. */
  source: z.string(),
  /** Built-in chain to policy (ACCEPT, DROP) of the filter table. */
  policies: z.record(z.string(), z.string()),
  /** `table/chain` to the number of `-A` rules. */
  rule_counts: z.record(z.string(), z.number().int().nonnegative()),
});

/** firewall: host firewall configuration and which one is in charge. */
export const FirewallFact = z.object({
  ufw: z.object({
    installed: z.boolean(),
    enabled: z.boolean(),
    enabled_source: z.object({ file: z.string().optional(), line: line.optional(), command: z.string().optional() }).nullable(),
    default_incoming: policy,
    default_outgoing: policy,
    default_routed: policy,
    rules: z.array(UfwRule),
  }),
  nftables: z.object({
    installed: z.boolean(),
    /** Whether nftables.service is enabled (loads the ruleset file at boot). */
    service_enabled: z.boolean(),
    /** `nft -j list ruleset` on a live host, else the ruleset file parsed. Null when neither is available. */
    ruleset_source: z.string().nullable(),
    tables: z.array(NftTable),
    input_policy: z.string().nullable(),
    forward_policy: z.string().nullable(),
    output_policy: z.string().nullable(),
  }),
  iptables: z.object({
    installed: z.boolean(),
    v4: IptablesFamily.nullable(),
    v6: IptablesFamily.nullable(),
  }),
  firewalld: z.object({
    installed: z.boolean(),
    service_enabled: z.boolean(),
    default_zone: z.string().nullable(),
    file: z.string().nullable(),
    line: line.nullable(),
  }),
  /** The firewall that governs the host, or null when none does. */
  active: z.enum(['ufw', 'nftables', 'iptables', 'firewalld']).nullable(),
  warnings: z.array(z.string()),
});
export type FirewallFact = z.infer<typeof FirewallFact>;
