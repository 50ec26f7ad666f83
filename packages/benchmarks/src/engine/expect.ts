import type { Operator } from '../schema';
import { show } from './facts';
import type { Env } from './types';

const OP_TEXT: Partial<Record<Operator, string>> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

export function describeExpectation(subject: string, op: Operator, expected: unknown): string {
  const sym = OP_TEXT[op];
  if (sym) return `${subject} ${sym} ${show(expected)}`;
  if (['exists', 'absent', 'empty', 'not-empty'].includes(op)) return `${subject} ${op}`;
  if (Array.isArray(expected)) return `${subject} ${op} [${expected.map(String).join(', ')}]`;
  return `${subject} ${op} ${show(expected)}`;
}

/** The expected value: a literal, a rule parameter, or `{ now: days }` (days since the epoch at context.now). */
export function expectedValue(c: { value?: unknown; param?: string }, env: Env): unknown {
  if (c.param !== undefined) return env.params[c.param];
  const v = c.value;
  if (v && typeof v === 'object' && !Array.isArray(v) && (v as { now?: unknown }).now === 'days') {
    return Math.floor(env.now.getTime() / 86_400_000);
  }
  return v;
}
