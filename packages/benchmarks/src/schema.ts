import { z } from 'zod';
import { FACT_NAMES } from '@plumbline/protocol/facts';

/**
 * The rule, profile and tailoring formats. Conditions are data only: there is no way to
 * name a command, and every field path is checked against the fact schemas at load time
 * (see validate-check.ts), so a typo is a load error instead of a silent pass.
 */

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** Severity weights of the score: a critical failure costs as much as eight low ones. */
export const SEVERITY_WEIGHTS: Record<Severity, number> = { low: 1, medium: 2, high: 4, critical: 8 };

export const Level = z.enum(['l1', 'l2']);
export type Level = z.infer<typeof Level>;

export const OPERATORS = [
  'eq',
  'ne',
  'in',
  'not-in',
  'lt',
  'le',
  'gt',
  'ge',
  'matches',
  'not-matches',
  'version-lt',
  'version-le',
  'version-eq',
  'version-ge',
  'version-gt',
  'mode-at-most',
  'exists',
  'absent',
  'contains',
  'not-contains',
  'all-in',
  'none-in',
  'empty',
  'not-empty',
] as const;
export const Operator = z.enum(OPERATORS);
export type Operator = z.infer<typeof Operator>;

/** Operators that take no expected value. */
export const UNARY_OPERATORS: ReadonlySet<Operator> = new Set(['exists', 'absent', 'empty', 'not-empty']);

export const FactNameSchema = z.enum(FACT_NAMES as [string, ...string[]]);

export const Transform = z.union([
  z.enum(['lower', 'trim', 'number', 'seconds', 'words', 'csv', 'keys', 'values', 'length', 'duplicates']),
  z.strictObject({ split: z.string().min(1) }),
  z.strictObject({ pluck: z.string().min(1) }),
  z.strictObject({ index: z.number().int() }),
]);
export type Transform = z.infer<typeof Transform>;

// An empty list addresses the fact (or list element) itself, e.g. a list over the whole `files` record.
export const Path = z.union([z.string().min(1), z.array(z.union([z.string(), z.number().int()]))]);
export type Path = z.infer<typeof Path>;

const compare = {
  op: Operator,
  value: z.unknown().optional(),
  /** Take the expected value from a (tailorable) rule parameter instead of `value`. */
  param: z.string().optional(),
  ignoreCase: z.boolean().optional(),
  /** Version scheme for version-* operators; by default the host's package manager decides. */
  scheme: z.enum(['deb', 'rpm']).optional(),
  transform: z.array(Transform).optional(),
};

/** A literal or a reference to a rule parameter. */
export const paramOr = <T extends z.ZodType>(s: T) => z.union([s, z.strictObject({ param: z.string() })]);

/* Each condition kind, with its child conditions left as unknown: validate-check.ts picks the
 * kind from the keys present and recurses, so an error points at the exact node. */
export const ConditionSchemas = {
  value: z.strictObject({ fact: FactNameSchema.optional(), path: Path.optional(), default: z.unknown().optional(), ...compare }),
  combinator: z.strictObject({
    fact: FactNameSchema.optional(),
    all: z.array(z.unknown()).min(1).optional(),
    any: z.array(z.unknown()).min(1).optional(),
    none: z.array(z.unknown()).min(1).optional(),
  }),
  list: z.strictObject({
    fact: FactNameSchema.optional(),
    list: Path,
    where: z.unknown().optional(),
    all: z.unknown().optional(),
    any: z.unknown().optional(),
    none: z.unknown().optional(),
    count: z.strictObject({ op: Operator, value: z.number().optional(), param: z.string().optional() }).optional(),
  }),
  sysctl: z.strictObject({
    sysctl: z.string().regex(/^[a-z0-9_*-]+(\.[a-z0-9_*-]+)+$/, 'a sysctl key in dot form'),
    /** CIS wants the value persisted so that it survives a reboot; a few dev-sec checks only look at runtime. */
    requirePersisted: z.boolean().optional(),
    ...compare,
  }),
  sshd: z.strictObject({
    sshd: z.string().regex(/^[a-z0-9]+$/, 'a lower-case sshd keyword'),
    /** Also judge the values set inside Match blocks (default true). */
    matchBlocks: z.boolean().optional(),
    ...compare,
  }),
  file: z.strictObject({
    file: z.string().regex(/^\//, 'an absolute path'),
    mode: paramOr(z.string().regex(/^0?[0-7]{3,4}$/)).optional(),
    owner: paramOr(z.array(z.string()).min(1)).optional(),
    group: paramOr(z.array(z.string()).min(1)).optional(),
    /** Verdict when the path does not exist: most permission rules pass on an absent file. */
    missing: z.enum(['pass', 'fail']).optional(),
  }),
  package: z.strictObject({
    package: z.union([z.string(), z.array(z.string()).min(1)]),
    state: z.enum(['installed', 'absent']),
  }),
  module: z.strictObject({
    module: z.string().regex(/^[a-z0-9_]+$/, 'a module name with underscores'),
    requireBlacklist: paramOr(z.boolean()).optional(),
  }),
  listeners: z.strictObject({ listeners: paramOr(z.array(z.unknown())) }),
  /**
   * CIS "X services are not in use": none of `packages` installed; or one is, but another
   * installed package depends on it, and none of its `units` (systemd or SysV) nor `inetd`
   * services is enabled or active.
   */
  notInUse: z.strictObject({
    'not-in-use': z.strictObject({
      packages: z.array(z.string()).min(1),
      units: z.array(z.string().regex(/^[\w@:.-]+\.(service|socket|timer)$/, 'a unit name')).optional(),
      /** Service names in inetd.conf or xinetd.d (`telnet`, `tftp`). */
      inetd: z.array(z.string()).optional(),
    }),
  }),
} as const;
export type ConditionKind = keyof typeof ConditionSchemas;

type CompareFields = Omit<z.infer<typeof ConditionSchemas.value>, 'fact' | 'path' | 'default'>;
export type ValueCondition = z.infer<typeof ConditionSchemas.value>;
export interface CombinatorCondition {
  fact?: string;
  all?: Condition[];
  any?: Condition[];
  none?: Condition[];
}
export interface ListCondition {
  fact?: string;
  list: Path;
  where?: Condition;
  all?: Condition;
  any?: Condition;
  none?: Condition;
  count?: { op: Operator; value?: number; param?: string };
}
export type SysctlCondition = CompareFields & { sysctl: string; requirePersisted?: boolean };
export type SshdCondition = CompareFields & { sshd: string; matchBlocks?: boolean };
export type FileCondition = z.infer<typeof ConditionSchemas.file>;
export type PackageCondition = z.infer<typeof ConditionSchemas.package>;
export type ModuleCondition = z.infer<typeof ConditionSchemas.module>;
export type ListenersCondition = z.infer<typeof ConditionSchemas.listeners>;
export type NotInUseCondition = z.infer<typeof ConditionSchemas.notInUse>;
export type Condition =
  | ValueCondition
  | CombinatorCondition
  | ListCondition
  | SysctlCondition
  | SshdCondition
  | FileCondition
  | PackageCondition
  | ModuleCondition
  | ListenersCondition
  | NotInUseCondition;

/** The kind of a condition node, from the keys it carries (the first distinctive key wins). */
export function conditionKind(node: unknown): ConditionKind | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(node, k);
  if (has('list')) return 'list';
  if (has('sysctl')) return 'sysctl';
  if (has('sshd')) return 'sshd';
  if (has('file')) return 'file';
  if (has('package')) return 'package';
  if (has('module')) return 'module';
  if (has('listeners')) return 'listeners';
  if (has('not-in-use')) return 'notInUse';
  if (has('all') || has('any') || has('none')) return 'combinator';
  if (has('op')) return 'value';
  return undefined;
}

/** One entry of a listening-socket allow-list; every field given must match. */
export const ListenerEntry = z.strictObject({
  port: z.union([z.number().int().min(0).max(65535), z.string().regex(/^\d+-\d+$/)]).optional(),
  /** tcp matches tcp and tcp6, udp matches udp and udp6; tcp6/udp6 match only themselves. */
  protocol: z.enum(['tcp', 'udp', 'tcp6', 'udp6']).optional(),
  /** An address as the kernel shows it, or `loopback` / `any`. */
  address: z.string().optional(),
  process: z.string().optional(),
  comment: z.string().optional(),
});
export type ListenerEntry = z.infer<typeof ListenerEntry>;

export const ParamDef = z.strictObject({
  type: z.enum(['string', 'number', 'boolean', 'string[]', 'number[]', 'listeners']),
  default: z.unknown(),
  description: z.string().min(1),
});
export type ParamDef = z.infer<typeof ParamDef>;

const OsMatch = z.strictObject({
  /** os-release ID; also matches hosts whose ID_LIKE names it when no versions are given. */
  id: z.string().min(1),
  versions: z.array(z.string()).min(1).optional(),
});

export const Applicability = z.strictObject({
  os: z.array(OsMatch).min(1).optional(),
  /** Applies only when one of these packages is installed (unknown inventory: applies). */
  packages: z.array(z.string()).min(1).optional(),
  /** Not applicable when one of these facts was not collected at all (an older agent). */
  facts: z.array(FactNameSchema).min(1).optional(),
  /** Not applicable when this condition is false. */
  when: z.unknown().optional(),
});
export type Applicability = Omit<z.infer<typeof Applicability>, 'when'> & { when?: Condition };

const SsgId = z.string().regex(/^[a-z0-9_-]+$/, 'a ComplianceAsCode rule id');

export const References = z.strictObject({
  cis: z.array(z.string().regex(/^\d+(\.\d+)*$/)).default([]),
  ssg: z.array(SsgId).default([]),
  nist: z.array(z.string().regex(/^[A-Z]{2}-\d+(\(\d+\))?$/)).default([]),
  iso27001: z.array(z.string().regex(/^A\.\d+\.\d+$/)).default([]),
  jcstar: z.array(z.string()).default([]),
});
export type References = z.infer<typeof References>;

/**
 * How the OpenSCAP cross-check (apps/agent/test/oscap-crosscheck.test.ts) reads a rule. By
 * default our verdict is the conjunction of the SSG rules in `references.ssg`: all pass, or one fails.
 */
export const OscapCrossCheck = z
  .strictObject({
    /** Groups of `references.ssg` ids of which one passing is enough (CIS "not in use": removed or disabled). */
    alternatives: z.array(z.array(SsgId).min(2)).min(1).optional(),
    /** OpenSCAP may give another verdict than ours: `why` says what it checks instead and why our verdict is right. */
    differs: z.literal(true).optional(),
    why: z.string().min(20).optional(),
  })
  .refine((o) => (o.differs === true) === (o.why !== undefined), 'differs: true and why go together');
export type OscapCrossCheck = z.infer<typeof OscapCrossCheck>;

export const RuleSchema = z.strictObject({
  id: z.string().regex(/^plb-[a-z0-9]+(-[a-z0-9]+)*$/, 'plb-<area>-<words>, lower case'),
  title: z.string().min(1).max(200),
  description: z.string().min(1),
  rationale: z.string().min(1),
  severity: Severity,
  levels: z.array(Level),
  section: z.strictObject({ id: z.string().regex(/^\d+(\.\d+)*$/), name: z.string().min(1) }),
  applies: Applicability.optional(),
  params: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), ParamDef).optional(),
  check: z.unknown(),
  remediation: z.strictObject({
    shell: z.string().min(1),
    ansible: z.record(z.string(), z.unknown()).refine((t) => typeof t.name === 'string', 'an Ansible task needs a name'),
  }),
  references: References,
  /** Why our verdict may differ from a peer tool's (OpenSCAP, dev-sec), for reviewers and the cross-check. */
  notes: z.string().optional(),
  /** How the OpenSCAP cross-check reads this rule, and a documented, expected disagreement. */
  oscap: OscapCrossCheck.optional(),
});
export type Rule = Omit<z.infer<typeof RuleSchema>, 'check' | 'applies'> & { check: Condition; applies?: Applicability };

export const ProfileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  platforms: z.array(z.string()).default([]),
  /** Every rule carrying one of these levels, plus `rules`, minus `exclude`. */
  levels: z.array(Level).default([]),
  rules: z.array(z.string()).default([]),
  exclude: z.array(z.string()).default([]),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const TailoringSchema = z.strictObject({
  extends: z.string().min(1),
  title: z.string().optional(),
  rules: z
    .record(z.string(), z.strictObject({ enabled: z.boolean().optional(), params: z.record(z.string(), z.unknown()).optional() }))
    .default({}),
});
export type Tailoring = z.infer<typeof TailoringSchema>;

export const WaiverSchema = z.strictObject({
  ruleId: z.string(),
  scope: z
    .strictObject({ hosts: z.array(z.string()).optional(), groups: z.array(z.string()).optional(), tags: z.array(z.string()).optional() })
    .optional(),
  justification: z.string().min(1),
  approver: z.string().min(1),
  expiresAt: z.coerce.date(),
});
export type Waiver = z.infer<typeof WaiverSchema>;
