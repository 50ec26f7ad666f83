import type { z } from 'zod';
import { factSchemas, type FactName } from '@plumbline/protocol/facts';
import { conditionKind, ConditionSchemas, ListenerEntry, UNARY_OPERATORS, type Operator, type ParamDef } from './schema';
import { listElement, pathSegments, resolveSchemaPath } from './fact-paths';
import { SSHD_DEFAULTS } from './engine/sshd-defaults';

export interface CheckIssue {
  path: (string | number)[];
  message: string;
}

interface Scope {
  schema?: z.ZodType;
  fact?: string;
  recordKey: boolean;
  params: Record<string, ParamDef>;
}

type Node = Record<string, unknown>;

/**
 * Validates a condition tree: the kind of every node, its fields, every fact name and field
 * path against the fact's zod schema, operators, regexes and parameter references.
 */
export function validateCondition(node: unknown, at: (string | number)[], params: Record<string, ParamDef>): CheckIssue[] {
  const issues: CheckIssue[] = [];
  visit(node, at, { recordKey: false, params }, issues);
  return issues;
}

function visit(node: unknown, at: (string | number)[], scope: Scope, issues: CheckIssue[]): void {
  const kind = conditionKind(node);
  if (!kind) {
    issues.push({
      path: at,
      message: 'not a condition: expected op, all/any/none, list, sysctl, sshd, file, package, module, listeners or not-in-use',
    });
    return;
  }
  const parsed = ConditionSchemas[kind].safeParse(node);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const last = i.path.at(-1);
      const message =
        last === 'op'
          ? `unknown operator '${String((node as Node).op)}'`
          : last === 'fact'
            ? `unknown fact '${String((node as Node).fact)}'`
            : i.message;
      issues.push({ path: [...at, ...(i.path as (string | number)[])], message });
    }
    return;
  }
  const n = node as Node;
  let inner = scope;
  if (typeof n.fact === 'string') {
    inner = { ...scope, fact: n.fact, schema: factSchemas[n.fact as FactName], recordKey: false };
  }
  switch (kind) {
    case 'combinator': {
      const keys = (['all', 'any', 'none'] as const).filter((k) => n[k] !== undefined);
      if (keys.length !== 1) issues.push({ path: at, message: 'a combinator takes exactly one of all, any, none' });
      for (const k of keys) (n[k] as unknown[]).forEach((c, i) => visit(c, [...at, k, i], inner, issues));
      return;
    }
    case 'list': {
      const list = resolveIn(inner, n.list as never, [...at, 'list'], issues);
      if (!list) return;
      const el = listElement(list);
      if (!el)
        return void issues.push({ path: [...at, 'list'], message: `'${pathSegments(n.list as never).join('.')}' is not a list or record` });
      const elScope: Scope = { ...inner, schema: el.schema, recordKey: el.record };
      if (n.where !== undefined) visit(n.where, [...at, 'where'], elScope, issues);
      const keys = (['all', 'any', 'none', 'count'] as const).filter((k) => n[k] !== undefined);
      if (keys.length !== 1) issues.push({ path: at, message: 'a list condition takes exactly one of all, any, none, count' });
      for (const k of ['all', 'any', 'none'] as const) if (n[k] !== undefined) visit(n[k], [...at, k], elScope, issues);
      if (n.count) checkCompare(n.count as Node, [...at, 'count'], scope.params, issues);
      return;
    }
    case 'value': {
      resolveIn(inner, n.path as never, [...at, 'path'], issues);
      checkCompare(n, at, scope.params, issues);
      return;
    }
    case 'sysctl':
      return checkCompare(n, at, scope.params, issues);
    case 'sshd':
      if (!(String(n.sshd) in SSHD_DEFAULTS)) issues.push({ path: [...at, 'sshd'], message: `unknown sshd keyword '${String(n.sshd)}'` });
      return checkCompare(n, at, scope.params, issues);
    case 'file':
      for (const k of ['mode', 'owner', 'group']) checkParamRef(n[k], [...at, k], scope.params, issues);
      return;
    case 'listeners': {
      const l = n.listeners as unknown;
      if (Array.isArray(l)) l.forEach((e, i) => checkListener(e, [...at, 'listeners', i], issues));
      else checkParamRef(l, [...at, 'listeners'], scope.params, issues, 'listeners');
      return;
    }
    case 'module':
      return checkParamRef(n.requireBlacklist, [...at, 'requireBlacklist'], scope.params, issues, 'boolean');
    case 'package':
    case 'notInUse':
      return;
  }
}

function resolveIn(
  scope: Scope,
  path: string | (string | number)[] | undefined,
  at: (string | number)[],
  issues: CheckIssue[],
): z.ZodType | undefined {
  if (!scope.schema) {
    issues.push({ path: at, message: 'no fact in scope: set `fact` on this condition or an enclosing one' });
    return undefined;
  }
  const r = resolveSchemaPath(scope.schema, pathSegments(path), `fact ${scope.fact ?? '?'}`, scope.recordKey);
  if (!r.ok) {
    issues.push({ path: at, message: r.message });
    return undefined;
  }
  return r.schema;
}

function checkCompare(n: Node, at: (string | number)[], params: Record<string, ParamDef>, issues: CheckIssue[]): void {
  const op = n.op as Operator;
  const hasValue = n.value !== undefined;
  const hasParam = n.param !== undefined;
  if (UNARY_OPERATORS.has(op)) {
    if (hasValue || hasParam) issues.push({ path: at, message: `operator '${op}' takes no value` });
    return;
  }
  if (hasValue === hasParam) return void issues.push({ path: at, message: `operator '${op}' needs exactly one of value, param` });
  if (hasParam) {
    if (!params[String(n.param)]) issues.push({ path: [...at, 'param'], message: `unknown parameter '${String(n.param)}'` });
    return;
  }
  const v = n.value;
  if (['in', 'not-in', 'all-in', 'none-in'].includes(op) && !Array.isArray(v))
    issues.push({ path: [...at, 'value'], message: `operator '${op}' needs a list` });
  if (op === 'matches' || op === 'not-matches') {
    try {
      new RegExp(String(v));
    } catch (e) {
      issues.push({ path: [...at, 'value'], message: `bad regex: ${(e as Error).message}` });
    }
  }
  if (op === 'mode-at-most' && !/^0?[0-7]{3,4}$/.test(String(v)))
    issues.push({ path: [...at, 'value'], message: 'mode-at-most needs an octal mode such as 0640' });
}

function checkParamRef(v: unknown, at: (string | number)[], params: Record<string, ParamDef>, issues: CheckIssue[], type?: string): void {
  if (!v || typeof v !== 'object' || Array.isArray(v) || !('param' in v)) return;
  const name = String((v as Node).param);
  const def = params[name];
  if (!def) issues.push({ path: [...at, 'param'], message: `unknown parameter '${name}'` });
  else if (type && def.type !== type) issues.push({ path: [...at, 'param'], message: `parameter '${name}' must be of type ${type}` });
}

function checkListener(e: unknown, at: (string | number)[], issues: CheckIssue[]): void {
  const r = ListenerEntry.safeParse(e);
  if (!r.success) for (const i of r.error.issues) issues.push({ path: [...at, ...(i.path as (string | number)[])], message: i.message });
}

/** A parameter value (a default or a tailored one) must have the declared type. */
export function paramValueError(def: ParamDef, v: unknown): string | undefined {
  const isArr = (t: string) => Array.isArray(v) && v.every((x) => typeof x === t);
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof v === def.type ? undefined : `expected a ${def.type}`;
    case 'string[]':
      return isArr('string') ? undefined : 'expected a list of strings';
    case 'number[]':
      return isArr('number') ? undefined : 'expected a list of numbers';
    case 'listeners': {
      if (!Array.isArray(v)) return 'expected a list of listeners { port, protocol, address, process }';
      const bad = v.findIndex((e) => !ListenerEntry.safeParse(e).success);
      return bad >= 0 ? `listener ${bad + 1} is not { port, protocol, address, process }` : undefined;
    }
  }
}
