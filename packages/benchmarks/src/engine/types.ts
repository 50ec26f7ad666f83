import type { FactSet } from '@plumbline/protocol/facts';
import type { Level, References, Severity, Waiver } from '../schema';
import type { VersionScheme } from './versions';

export type Status = 'pass' | 'fail' | 'notapplicable' | 'error';

/** Why a verdict was reached: what was wanted, what was seen, and where it was seen. */
export interface Evidence {
  expected: string;
  observed: string;
  /** `file:line`, a file, or a command; absent only when the fact carries no origin at all. */
  source?: string;
}

export interface Result {
  ruleId: string;
  title: string;
  severity: Severity;
  levels: Level[];
  section: { id: string; name: string };
  status: Status;
  evidence: Evidence[];
  references: References;
  /** Set by applyWaivers: the failure is accepted; `status` stays what the host really is. */
  waived?: boolean;
  waiver?: Waiver;
}

export interface EvaluateContext {
  /** The clock, passed in so that evaluation stays pure and repeatable. */
  now: Date;
  /** Tailored parameter values by rule id; rule defaults fill the rest. */
  params?: Record<string, Record<string, unknown>>;
  /** Overrides the host fact's os-release values (e.g. for a tree without one). */
  os?: { id: string; version_id?: string | null; id_like?: string[] };
}

/** What a condition needs while it is evaluated. */
export interface Env {
  facts: FactSet;
  params: Record<string, unknown>;
  now: Date;
  scheme: VersionScheme;
}

/** ok: true pass, false fail, null unknown (a fact it needed was not collected). */
export interface Outcome {
  ok: boolean | null;
  evidence: Evidence[];
}

/** Thrown while evaluating when a fact the rule needs is missing or failed: the rule is `error`. */
export class FactUnavailable extends Error {
  readonly fact: string;
  readonly evidence: Evidence;

  constructor(fact: string, evidence: Evidence) {
    // Control flow, not a fault: thrown for many rules on hosts without a fact, and caught at
    // once, so no stack trace is captured (that would cost more than the rule itself).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${fact}: ${evidence.observed}`);
    Error.stackTraceLimit = limit;
    this.fact = fact;
    this.evidence = evidence;
  }
}
