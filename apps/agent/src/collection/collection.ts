import { factDigests, type DigestedValue } from '@plumbline/protocol/digest';
import type { FactErrors, FactSet } from '@plumbline/protocol/facts';
import { PROTOCOL_VERSION } from '@plumbline/protocol/limits';

/**
 * One collection as the long-running agent uses it: the set's digest and each fact's own
 * (protocol version of this build), the collection errors, and fact values, parsed only when
 * a message needs them. Between cycles the agent keeps the digests alone: it asks for the
 * values of the facts that changed (a delta), or of all (a snapshot).
 */
export interface Collection {
  digest: string;
  factDigests: ReadonlyMap<string, string>;
  errors: FactErrors;
  /** A fact's value; of a collection asked for changes only, only the changed facts have one. */
  fact(name: string): unknown;
}

/** Digests the agent already holds: a collection then carries only the values that differ. */
export type KnownDigests = ReadonlyMap<string, string> | null;

const changed = (known: KnownDigests, name: string, digest: string) => known?.get(name) !== digest;

/** A collection of a fact set at hand (collected in this process). */
export function collectionOf(set: FactSet): Collection {
  const sums = factDigests(set.facts, set.errors, PROTOCOL_VERSION);
  return { digest: sums.digest, factDigests: sums.facts, errors: set.errors, fact: (name) => (set.facts as Record<string, unknown>)[name] };
}

/**
 * How the helper process hands a collection over (collection/helper.ts): a first line with
 * the digests and the errors, then one line per fact whose digest is not among `known`,
 * `name<TAB>value as JSON`. JSON text has no raw line breaks, and fact names are snake_case,
 * so the lines split unambiguously. On an unchanged host that is a few kilobytes.
 */
export function writeCollection(set: FactSet, known: KnownDigests = null, digested?: ReadonlyMap<string, DigestedValue>): string {
  // Each value goes out as the canonical JSON its digest was taken of: one serialisation.
  const texts = new Map<string, string>();
  const sums = factDigests(set.facts, set.errors, PROTOCOL_VERSION, texts, digested);
  const head = JSON.stringify({ digest: sums.digest, facts: Object.fromEntries(sums.facts), errors: set.errors });
  const lines = [...sums.facts].filter(([name, digest]) => changed(known, name, digest)).map(([name]) => `${name}\t${texts.get(name)!}`);
  return `${[head, ...lines].join('\n')}\n`;
}

/**
 * Reads what writeCollection wrote for `known`; throws on anything else (a helper that died
 * half-way).
 * The output stays one Buffer (outside the JavaScript heap, freed as soon as the cycle drops
 * it) and only the lines a message needs become strings: the long-running process then makes
 * no garbage that only a full collection of its heap would take back.
 */
export function readCollection(out: Buffer, known: KnownDigests = null): Collection {
  if (out.length === 0 || out[out.length - 1] !== NEWLINE) throw new Error('the collection output is cut short');
  const headEnd = out.indexOf(NEWLINE);
  const head = JSON.parse(out.toString('utf8', 0, headEnd)) as { digest?: unknown; facts?: Record<string, string>; errors?: FactErrors };
  if (typeof head.digest !== 'string' || !head.facts || !head.errors) throw new Error('the collection output has no digests');
  const values = new Map<string, { start: number; end: number }>();
  for (let start = headEnd + 1; start < out.length;) {
    const end = out.indexOf(NEWLINE, start);
    const tab = out.indexOf(TAB, start);
    if (tab === -1 || tab > end) throw new Error('the collection output has a line without a fact name');
    values.set(out.toString('utf8', start, tab), { start: tab + 1, end });
    start = end + 1;
  }
  const digests = new Map(Object.entries(head.facts));
  for (const [name, digest] of digests) {
    if (changed(known, name, digest) && !values.has(name)) throw new Error(`the collection output lacks the fact ${name}`);
  }
  return {
    digest: head.digest,
    factDigests: digests,
    errors: head.errors,
    // Each value is parsed when asked for: an unchanged fact never becomes objects here.
    fact: (name) => {
      const at = values.get(name);
      return at && (JSON.parse(out.toString('utf8', at.start, at.end)) as unknown);
    },
  };
}

const NEWLINE = 0x0a;
const TAB = 0x09;
