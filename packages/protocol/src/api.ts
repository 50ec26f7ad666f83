import { z } from 'zod';
import { DriftKind } from './outbound';

/** Payloads of the HTTP API, shared by the server (validation, OpenAPI) and the dashboard (types). */

export const ApiError = z.object({ code: z.string(), message: z.string() });

export const Role = z.enum(['admin', 'operator', 'auditor']);
export type Role = z.infer<typeof Role>;

export const Credentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});
export type Credentials = z.input<typeof Credentials>;

/** Passwords users choose: long enough to resist guessing (OWASP: at least 12). */
export const NewPassword = z.string().min(12, 'at least 12 characters').max(1024);

export const SessionInfo = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: Role }),
  csrfToken: z.string(),
  /** Signed in with a password an admin reset: the only thing left to do is choose a new one. */
  mustChangePassword: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** A signed-in user's own password change: the current password proves it is them. */
export const PasswordChange = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: NewPassword,
});
export type PasswordChange = z.infer<typeof PasswordChange>;

/** An admin's reset: a one-time password, shown once, that must be changed at the next sign-in. */
export const PasswordReset = z.object({ email: z.string(), temporaryPassword: z.string(), sessionsEnded: z.number().int() });
export type PasswordReset = z.infer<typeof PasswordReset>;

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  /**
   * `csv`: the whole list as filtered (limit and offset do not apply, at most CSV_MAX_ROWS rows),
   * as `text/csv` (RFC 4180; cells starting with = + - @ are prefixed with ' so that a
   * spreadsheet reads them as text).
   */
  format: z.enum(['json', 'csv']).default('json'),
});
/** The most rows one CSV download holds. */
export const CSV_MAX_ROWS = 100_000;

export const HostsQuery = ListQuery.extend({
  q: z.string().max(200).optional(),
  /** Worst first by default: the lowest scores lead, hosts not yet scored last, ties by name. */
  sort: z.enum(['hostname', 'lastSeenAt', 'os', 'createdAt', 'score', 'failCount']).default('score'),
  order: z.enum(['asc', 'desc']).default('asc'),
  group: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  os: z.string().max(64).optional(),
  online: z.enum(['true', 'false']).optional(),
  minScore: z.coerce.number().min(0).max(100).optional(),
  maxScore: z.coerce.number().min(0).max(100).optional(),
  /** Only hosts failing this rule now. */
  failing: z.string().max(200).optional(),
});

/** The hosts list's filters alone (no paging or sort): what a bulk change selects by. */
export const HostsFilter = HostsQuery.pick({
  q: true,
  group: true,
  tag: true,
  os: true,
  online: true,
  minScore: true,
  maxScore: true,
  failing: true,
});
export type HostsFilter = z.input<typeof HostsFilter>;

export type HostsQuery = z.input<typeof HostsQuery>;
export type HostSortField = z.infer<typeof HostsQuery>['sort'];

/** Results per status; waived failures count under `waived`, not `fail`. */
export const StatusCounts = z.object({
  pass: z.number(),
  fail: z.number(),
  waived: z.number(),
  notapplicable: z.number(),
  error: z.number(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

export const HostSummary = z.object({
  id: z.string(),
  hostname: z.string(),
  os: z.string().nullable(),
  osId: z.string().nullable(),
  osVersion: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string().nullable(),
  agentVersion: z.string().nullable(),
  group: z.string().nullable(),
  tags: z.array(z.string()),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  score: z.number().nullable(),
  scoreWithWaivers: z.number().nullable(),
  counts: StatusCounts,
  profile: z.string().nullable(),
  /** The agent's clock minus the server's, in seconds, as last measured. */
  clockSkewSeconds: z.number().int(),
  /** The skew is beyond 5 minutes: the agent's timestamps are corrected to the server's clock. */
  clockSkewed: z.boolean(),
  /**
   * Another host reported this host's machine id (a cloned image shares /etc/machine-id). The
   * hosts are kept apart, never merged; the flag stays until an operator clears it.
   */
  identityConflict: z.boolean(),
  /** Another host (visible to the caller) has the same hostname: shown, not a conflict. */
  duplicateHostname: z.boolean(),
});
export type HostSummary = z.infer<typeof HostSummary>;

/** Another host, named for a link: id and hostname. */
export const HostRef = z.object({ id: z.string(), hostname: z.string() });
export type HostRef = z.infer<typeof HostRef>;

export const HostDetail = HostSummary.extend({
  machineId: z.string().nullable(),
  /** When the identity conflict was found; null without one. */
  identityConflictSince: z.string().nullable(),
  /** The other unrevoked hosts reporting this machine id now. */
  sameMachineId: z.array(HostRef),
  /** The other hosts with this hostname. */
  sameHostname: z.array(HostRef),
  facts: z.record(z.string(), z.unknown()).nullable(),
  factErrors: z.record(z.string(), z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
  observedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
});
export type HostDetail = z.infer<typeof HostDetail>;

/** PATCH /hosts/:id: a new group (null: none) or tag set; the host is judged again at once. */
export const HostUpdate = z.object({
  group: z.string().max(100).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
});
export type HostUpdate = z.infer<typeof HostUpdate>;

const TagList = z.array(z.string().trim().min(1).max(64)).max(50);

/**
 * POST /hosts/bulk: one change to many hosts, chosen by id (`ids`) or by the hosts list's
 * filters (`filter`, every host they match). `group` sets the group (null: none); `tags`
 * replaces the tag set, `addTags` / `removeTags` edit it. One audit entry for the request.
 */
export const HostsBulkUpdate = z
  .object({
    ids: z.array(z.uuid()).min(1).max(10_000).optional(),
    filter: HostsFilter.optional(),
    group: z.string().max(100).nullable().optional(),
    tags: TagList.optional(),
    addTags: TagList.optional(),
    removeTags: TagList.optional(),
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give either ids or filter' })
  .refine((b) => b.group !== undefined || b.tags !== undefined || b.addTags !== undefined || b.removeTags !== undefined, {
    message: 'nothing to change: give group, tags, addTags or removeTags',
  })
  .refine((b) => b.tags === undefined || (b.addTags === undefined && b.removeTags === undefined), {
    message: 'tags replaces the tag set: not with addTags or removeTags',
  });
export type HostsBulkUpdate = z.input<typeof HostsBulkUpdate>;

export const HostsBulkResult = z.object({ matched: z.number().int(), updated: z.number().int(), hostIds: z.array(z.string()) });
export type HostsBulkResult = z.infer<typeof HostsBulkResult>;

export const FactChangeItem = z.object({
  id: z.string(),
  fact: z.string(),
  path: z.string(),
  op: z.enum(['add', 'remove', 'replace']),
  before: z.unknown(),
  after: z.unknown(),
  observedAt: z.string(),
  receivedAt: z.string(),
});
export type FactChangeItem = z.infer<typeof FactChangeItem>;

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
/** One page of a list endpoint: the items asked for and how many there are in all. */
export type Page<T> = { items: T[]; total: number };

export const Status = z.enum(['pass', 'fail', 'notapplicable', 'error']);
export type Status = z.infer<typeof Status>;
export const SeverityName = z.enum(['low', 'medium', 'high', 'critical']);
export type SeverityName = z.infer<typeof SeverityName>;

export const ResultsQuery = ListQuery.extend({
  status: Status.optional(),
  severity: SeverityName.optional(),
  section: z.string().max(32).optional(),
  waived: z.enum(['true', 'false']).optional(),
  q: z.string().max(200).optional(),
});

/** What a waived result or finding shows of the waiver that covers it. */
export const AppliedWaiver = z.object({ id: z.string(), justification: z.string(), expiresAt: z.string(), approver: z.string() });
export type AppliedWaiver = z.infer<typeof AppliedWaiver>;

export const ResultItem = z.object({
  ruleId: z.string(),
  title: z.string(),
  severity: SeverityName,
  levels: z.array(z.string()),
  section: z.object({ id: z.string(), name: z.string() }),
  status: Status,
  evidence: z.array(z.object({ expected: z.string(), observed: z.string(), source: z.string().optional() })),
  references: z.record(z.string(), z.array(z.string())),
  rationale: z.string(),
  remediation: z.object({ shell: z.string().optional(), ansible: z.unknown().optional() }).partial(),
  waived: z.boolean(),
  waiver: AppliedWaiver.nullable(),
  firstFailedAt: z.string().nullable(),
  changedAt: z.string(),
});
export type ResultItem = z.infer<typeof ResultItem>;

export const WaiverScope = z.object({ type: z.enum(['host', 'group', 'tag']), id: z.string().min(1).max(255) });
export type WaiverScope = z.infer<typeof WaiverScope>;

const WaiverTerms = z.object({
  scope: WaiverScope,
  justification: z.string().trim().min(10, 'say why, in at least 10 characters').max(4000),
  expiresAt: z.iso.datetime({ offset: true }),
});

/**
 * A waiver names what it accepts: a rule's failure (`ruleId`) or a known vulnerability's findings
 * (`cve`: a CVE id, or a tracker id such as Debian's TEMP- for an issue without one), never both.
 * The CVE id's form is checked by the server, which answers PLUMBLINE_ERR_BAD_CVE_ID.
 */
export const WaiverCreate = WaiverTerms.extend({
  ruleId: z.string().min(1).max(200).optional(),
  cve: z.string().trim().min(1).max(64).optional(),
}).refine((w) => (w.ruleId === undefined) !== (w.cve === undefined), { message: 'name either ruleId or cve', path: ['ruleId'] });
export type WaiverCreate = z.input<typeof WaiverCreate>;

/**
 * POST /rules/:id/waive-failing: one host-scoped waiver for each host failing the rule now
 * (within the caller's scope), under the same approval rules as one waiver.
 */
export const WaiveFailing = WaiverTerms.pick({ justification: true, expiresAt: true });
export type WaiveFailing = z.input<typeof WaiveFailing>;

export const WaiversQuery = ListQuery.extend({
  state: z.enum(['requested', 'active', 'expired', 'revoked']).optional(),
  ruleId: z.string().max(200).optional(),
  cve: z.string().max(64).optional(),
  /** Rule waivers or CVE waivers only. */
  target: z.enum(['rule', 'cve']).optional(),
  scopeType: z.enum(['host', 'group', 'tag']).optional(),
  q: z.string().max(200).optional(),
});

export const WaiverItem = z.object({
  id: z.string(),
  /** The rule waived, or null for a CVE waiver. */
  ruleId: z.string().nullable(),
  /** The CVE waived, or null for a rule waiver. */
  cve: z.string().nullable(),
  scope: WaiverScope,
  justification: z.string(),
  expiresAt: z.string(),
  requestedBy: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  state: z.enum(['requested', 'active', 'expired', 'revoked']),
});
export type WaiverItem = z.infer<typeof WaiverItem>;

/**
 * The answer of POST /rules/:id/waive-failing: the waivers made (201), or none (200) when no
 * host fails the rule or every failing host is waived already. A host counts as waived when an
 * approved waiver in force covers it (any scope) or a host waiver of the rule is in force or
 * awaiting approval; such hosts get no second waiver.
 */
export const WaiveFailingResult = z.object({
  ruleId: z.string(),
  /** How many waivers were made: one per failing host not waived already. */
  created: z.number().int(),
  /** Failing hosts left alone because they are waived already. */
  alreadyWaived: z.number().int(),
  items: z.array(WaiverItem),
});
export type WaiveFailingResult = z.infer<typeof WaiveFailingResult>;

export const DriftDirection = z.enum(['regression', 'improvement', 'change']);
export type DriftDirection = z.infer<typeof DriftDirection>;

/** Filters of the drift feed; every one also works with `format=csv`. */
export const DriftQuery = ListQuery.extend({
  /** A host id or hostname. */
  host: z.string().max(255).optional(),
  group: z.string().max(255).optional(),
  kind: DriftKind.optional(),
  severity: SeverityName.optional(),
  direction: DriftDirection.optional(),
  /** Only events that differ from (or came back to) the baseline. */
  baseline: z.enum(['differs', 'restored']).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Text search over the host, the path, the rule id and title, and the readable before/after. */
  q: z.string().max(200).optional(),
});
export type DriftQuery = z.input<typeof DriftQuery>;

export const DriftItem = z.object({
  id: z.string(),
  hostId: z.string(),
  hostname: z.string(),
  group: z.string().nullable(),
  kind: DriftKind,
  severity: z.string(),
  ruleId: z.string().nullable(),
  ruleTitle: z.string().nullable(),
  path: z.string().nullable(),
  /** Compliance: fail -> pass is an improvement, anything -> fail a regression; fact drift is a change. */
  direction: DriftDirection,
  /** The structured values (a detail view may show them); lists show beforeText/afterText. */
  before: z.unknown(),
  after: z.unknown(),
  /** One line for a person: `sshd PermitRootLogin no -> yes (/etc/ssh/sshd_config:3)`. */
  summary: z.string(),
  /** Before and after written for a person (`no`, `yes`, `pass`, `fail`); null: absent on that side. */
  beforeText: z.string().nullable(),
  afterText: z.string().nullable(),
  /** Where the new value comes from (`/etc/ssh/sshd_config:3`), when the fact says. */
  location: z.string().nullable(),
  /**
   * The change's relation to the host's approved baseline: `differs` (it departs from it),
   * `restored` (it came back to it), null (no baseline, or no change in that respect).
   */
  baseline: z.enum(['differs', 'restored']).nullable(),
  observedAt: z.string(),
  receivedAt: z.string(),
  /** Compliance drift: when the rule started failing in the streak this event belongs to (null when neither side fails). */
  firstFailedAt: z.string().nullable(),
});
export type DriftItem = z.infer<typeof DriftItem>;

export const RuleItem = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  rationale: z.string(),
  severity: SeverityName,
  levels: z.array(z.string()),
  section: z.object({ id: z.string(), name: z.string() }),
  references: z.record(z.string(), z.array(z.string())),
  remediation: z.object({ shell: z.string().optional(), ansible: z.unknown().optional() }).partial(),
  profiles: z.array(z.string()),
  failingHosts: z.number(),
  passingHosts: z.number(),
  /** Set on uploaded rules: which custom rule file (and version) defines the rule. */
  custom: z.object({ file: z.string(), version: z.number().int() }).nullable().optional(),
});
export type RuleItem = z.infer<typeof RuleItem>;

/** GET /rules/:id/hosts: a host with its result for the rule, longest failing first. */
export const RuleHostItem = z.object({ host: HostSummary, status: Status, firstFailedAt: z.string().nullable(), changedAt: z.string() });
export type RuleHostItem = z.infer<typeof RuleHostItem>;

export const GroupItem = z.object({
  name: z.string(),
  profileId: z.string(),
  tailoring: z.object({
    rules: z
      .record(z.string(), z.object({ enabled: z.boolean().optional(), params: z.record(z.string(), z.unknown()).optional() }))
      .optional(),
  }),
  allowedPorts: z.array(
    z.object({
      port: z.number().int().min(0).max(65535).optional(),
      protocol: z.enum(['tcp', 'tcp6', 'udp', 'udp6']).optional(),
      address: z.string().optional(),
      process: z.string().optional(),
      comment: z.string().optional(),
    }),
  ),
  hosts: z.number(),
  /** Custom rule files (by name) whose latest version also judges the group's hosts. */
  customRules: z.array(z.string()).optional(),
});
export type GroupItem = z.infer<typeof GroupItem>;
/** PUT /groups/:name: creates the group or replaces its policy. */
export type GroupPolicy = Pick<GroupItem, 'profileId' | 'tailoring' | 'allowedPorts'>;

/** GET /summary: the fleet at a glance. Scores are percentages with one decimal, null without results. */
export const FleetFigures = z.object({
  hosts: z.number(),
  online: z.number(),
  offline: z.number(),
  score: z.number().nullable(),
  scoreWithWaivers: z.number().nullable(),
  counts: StatusCounts,
});
export type FleetFigures = z.infer<typeof FleetFigures>;

export const FleetSummary = z.object({
  fleet: FleetFigures,
  groups: z.array(FleetFigures.extend({ name: z.string().nullable() })),
  distribution: z.array(z.object({ from: z.number(), to: z.number(), hosts: z.number() })),
  topFailingRules: z.array(z.object({ ruleId: z.string(), title: z.string(), severity: z.string(), hosts: z.number() })),
  offlineHosts: z.array(z.object({ id: z.string(), hostname: z.string(), lastSeenAt: z.string().nullable() })),
  generatedAt: z.string(),
});
export type FleetSummary = z.infer<typeof FleetSummary>;

/** Failures per severity, not waived; `waived`: the host's failures a waiver covers (any severity). */
export const SeverityCounts = z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number(), waived: z.number() });
export type SeverityCounts = z.infer<typeof SeverityCounts>;

/** GET /triage: what to fix first: the worst hosts and the rules whose fix raises the fleet score most. */
export const Triage = z.object({
  worstHosts: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      group: z.string().nullable(),
      score: z.number().nullable(),
      failures: SeverityCounts,
      /** Drift events of the last 24 hours, and the latest of them. */
      recentChanges: z.number(),
      lastChange: z
        .object({
          kind: z.string(),
          ruleId: z.string().nullable(),
          ruleTitle: z.string().nullable(),
          path: z.string().nullable(),
          direction: z.string(),
          observedAt: z.string(),
        })
        .nullable(),
    }),
  ),
  fixFirst: z.array(
    z.object({
      ruleId: z.string(),
      title: z.string(),
      severity: SeverityName,
      hosts: z.number(),
      /** Severity weight x failing hosts. */
      impact: z.number(),
      /** Fleet score points gained if every failing host passed it. */
      scoreGain: z.number(),
    }),
  ),
});
export type Triage = z.infer<typeof Triage>;

/** GET /triage/failures?host=...: failures (not waived) by severity for up to 200 hosts. */
export const HostFailuresQuery = z.object({ host: z.union([z.string().max(64), z.array(z.string().max(64)).max(200)]) });
export const HostFailures = z.object({ items: z.array(z.object({ hostId: z.string(), failures: SeverityCounts })) });
export type HostFailures = z.infer<typeof HostFailures>;

/**
 * GET /agent-packages: whether the agent packages that /install.sh installs are there, and
 * when they are being built (the server builds missing ones at start), how far it got.
 */
export const AgentPackages = z.object({
  state: z.enum(['ready', 'building', 'failed', 'missing']),
  version: z.string().nullable(),
  files: z.array(z.object({ file: z.string(), arch: z.string(), kind: z.enum(['deb', 'rpm', 'tar']), bytes: z.number().int().nullable() })),
  /** The architectures (uname -m) install.sh has a package for. */
  arches: z.array(z.string()),
  build: z
    .object({
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      /** The build's last step, e.g. `executables from Node 24.21.0 for x86_64 (12.0 s)`. */
      step: z.string().nullable(),
      /** Set when the build failed: its last lines. */
      error: z.string().nullable(),
    })
    .nullable(),
  /** What an operator should do or know, one sentence. */
  message: z.string(),
});
export type AgentPackages = z.infer<typeof AgentPackages>;

/** GET /audit: filters by actor (substring), action (any of a comma list, or a prefix with `*`), target (id or name). */
export const AuditQuery = ListQuery.extend({
  actor: z.string().max(300).optional(),
  action: z.string().max(1000).optional(),
  target: z.string().max(300).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});

/** GET /reports/public-key: the key that signs reports (PEM, SPKI). */
export const ReportPublicKey = z.object({ keyId: z.string(), algorithm: z.string(), fingerprint: z.string(), publicKey: z.string() });
export type ReportPublicKey = z.infer<typeof ReportPublicKey>;

/** Score history: `since` defaults to 30 days back; each bucket shows its last sample. */
export const TrendQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(['hour', 'day']).default('hour'),
});
export const SummaryTrendQuery = TrendQuery.extend({ group: z.string().min(1).max(255).optional() });

export const TrendPoint = z.object({
  at: z.string(),
  score: z.number().nullable(),
  scoreWithWaivers: z.number().nullable(),
  hosts: z.number().int(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/** Samples oldest first; the last point is always the current score. */
export const Trend = z.object({ since: z.string(), bucket: z.enum(['hour', 'day']), points: z.array(TrendPoint) });
export type Trend = z.infer<typeof Trend>;

/** Approving a host's current state as its baseline. */
export const BaselineApprove = z.object({ note: z.string().trim().max(2000).optional() }).strict();

export const BaselineMeta = z.object({
  hostId: z.string(),
  hostname: z.string(),
  approvedBy: z.string(),
  approvedAt: z.string(),
  note: z.string().nullable(),
  /** When the approved facts were observed on the host. */
  factsObservedAt: z.string(),
  factCount: z.number().int(),
  verdictCount: z.number().int(),
});
export type BaselineMeta = z.infer<typeof BaselineMeta>;

export const BaselineDetail = BaselineMeta.extend({
  facts: z.record(z.string(), z.unknown()),
  verdicts: z.record(z.string(), Status),
});
export type BaselineDetail = z.infer<typeof BaselineDetail>;

export const BaselineCompareQuery = ListQuery.extend({ against: z.enum(['own', 'group']).default('own') });

/** A fact path where the host's current facts differ from the baseline (paths as in fact changes). */
export const BaselineFactDifference = z.object({
  fact: z.string(),
  path: z.string(),
  op: z.enum(['add', 'remove', 'replace']),
  baseline: z.unknown(),
  current: z.unknown(),
});
export type BaselineFactDifference = z.infer<typeof BaselineFactDifference>;

/** A rule whose verdict differs from the baseline's; null: not evaluated on that side. */
export const BaselineVerdictDifference = z.object({
  ruleId: z.string(),
  title: z.string().nullable(),
  severity: z.string().nullable(),
  baseline: Status.nullable(),
  current: Status.nullable(),
});
export type BaselineVerdictDifference = z.infer<typeof BaselineVerdictDifference>;

export const BaselineComparison = z.object({
  against: z.enum(['own', 'group']),
  baseline: BaselineMeta,
  facts: page(BaselineFactDifference),
  verdicts: page(BaselineVerdictDifference),
});
export type BaselineComparison = z.infer<typeof BaselineComparison>;

export const GoldenHostSet = z.object({ hostId: z.uuid() }).strict();

export const GoldenHost = z.object({
  group: z.string(),
  hostId: z.string(),
  hostname: z.string(),
  setBy: z.string(),
  setAt: z.string(),
  /** Whether the golden host has an approved baseline to compare to yet. */
  hasBaseline: z.boolean(),
});
export type GoldenHost = z.infer<typeof GoldenHost>;

/** `POST /hosts/:id/oscap-comparison`: an OpenSCAP result compared rule by rule with the host's latest results. */
export const OscapComparison = z.object({
  host: HostRef,
  oscap: z.object({
    format: z.enum(['xccdf', 'arf']),
    benchmark: z.string().nullable(),
    testResult: z.string(),
    profile: z.string().nullable(),
    target: z.string().nullable(),
    endTime: z.string().nullable(),
    testSystem: z.string().nullable(),
    ruleResults: z.number().int(),
  }),
  summary: z.object({
    compared: z.number().int(),
    agree: z.number().int(),
    differ: z.number().int(),
    documented: z.number().int(),
    notCompared: z.number().int(),
    unmapped: z.number().int(),
  }),
  rules: z.array(
    z.object({
      ruleId: z.string(),
      title: z.string(),
      outcome: z.enum(['agree', 'differ', 'not-compared']),
      ours: Status,
      oscap: z.enum(['pass', 'fail', 'notapplicable']).nullable(),
      ssg: z.record(z.string(), z.string()),
      evidence: z.array(z.object({ expected: z.string(), observed: z.string(), source: z.string().optional() })),
      documented: z.boolean(),
      why: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  unmapped: z.array(z.object({ ssg: z.string(), result: z.string() })),
});
export type OscapComparison = z.infer<typeof OscapComparison>;
