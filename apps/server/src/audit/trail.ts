import { createHash } from 'node:crypto';
import { canonicalJson } from '@plumbline/protocol/digest';

/**
 * The audit trail: append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE)
 * and hash-chained, each entry's hash covering its content and the previous entry's hash,
 * so an altered or removed row breaks the chain at a place `verify` can name.
 */
export interface AuditInput {
  /** `user:<email>`, `apikey:<name>`, `agent:<hostId>`, `cli`, `system` */
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

export function entryHash(
  prevHash: string,
  e: { at: Date; actor: string; action: string; target: string | null; details: unknown },
): string {
  const content = canonicalJson({ at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, details: e.details });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** A signed record of the chain's head at some time (see checkpoint.ts). */
export interface ChainMark {
  seq: bigint;
  hash: string;
  entries: number;
  at: string;
}

export type VerifyResult =
  { ok: true; entries: number; head: string | null; checkpoints: number } | { ok: false; entries: number; seq: string; reason: string };

const bySeq = (a: ChainMark, b: ChainMark) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);
export const entriesText = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
const markText = (m: ChainMark) => `the checkpoint of ${m.at} (#${m.seq}, ${entriesText(m.entries)})`;

/** One entry as the chain stores it, from the database or from an evidence pack's slice. */
export interface ChainEntry {
  seq: bigint;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  prevHash: string;
  hash: string;
}

/** Where a walk starts: the genesis, or the entry just before a slice of the chain. */
export interface ChainStart {
  /** The hash the first entry must name as its predecessor. */
  prevHash: string;
  /** The sequence number of that predecessor (0 at the genesis). */
  seq: bigint;
  /** How many entries the chain holds up to and including it. */
  entries: number;
}

export const CHAIN_GENESIS: ChainStart = { prevHash: GENESIS, seq: 0n, entries: 0 };

/**
 * Walks the chain in order from `start`; the first entry whose links or hash do not hold is
 * named. Each checkpoint must then match the entry it recorded (hash and count), and none may
 * lie beyond the end: so a chain rewritten with recomputed hashes, or cut short, is caught too.
 * Where a checkpoint does not match, the first entry after the last checkpoint that does is
 * named: the change lies between the two. From a start other than the genesis this checks a
 * slice of the chain (an evidence pack's), whose checkpoints all lie within it.
 */
export async function verifyChain(
  source: AsyncIterable<ChainEntry>,
  marks: ChainMark[] = [],
  start: ChainStart = CHAIN_GENESIS,
): Promise<VerifyResult> {
  const pending = [...marks].sort(bySeq);
  let prevHash = start.prevHash;
  let prevSeq = start.seq;
  let entries = start.entries;
  // The first entry after the last checkpoint that held: where an undetectable-by-hash change may begin.
  let sinceGood: bigint | null = null;
  const rewritten = (m: ChainMark, what: string): VerifyResult => ({
    ok: false,
    entries,
    seq: String(sinceGood ?? m.seq),
    reason: `${what}, unlike ${markText(m)}: entries from #${sinceGood ?? m.seq} to #${m.seq} were rewritten or removed and the chain recomputed`,
  });
  // A checkpoint of the entry the walk starts after must match the start itself.
  for (let c = pending[0]; c && c.seq <= start.seq; c = pending[0]) {
    if (c.seq < start.seq || c.hash !== start.prevHash || c.entries !== start.entries)
      return { ok: false, entries, seq: String(c.seq), reason: `${markText(c)} does not match the start of the checked entries` };
    pending.shift();
  }
  for await (const e of source) {
    if (e.prevHash !== prevHash) {
      const reason =
        entries === start.entries
          ? start.seq === 0n
            ? 'the first entry does not start the chain'
            : `it does not follow entry #${start.seq}, where the checked entries start`
          : `it does not follow entry #${prevSeq} (an entry before it was removed or altered)`;
      return { ok: false, entries, seq: e.seq.toString(), reason };
    }
    if (e.seq <= prevSeq) return { ok: false, entries, seq: e.seq.toString(), reason: `it is out of order after entry #${prevSeq}` };
    if (entryHash(e.prevHash, e) !== e.hash)
      return { ok: false, entries, seq: e.seq.toString(), reason: 'its content does not match its hash (altered)' };
    entries++;
    sinceGood ??= e.seq;
    const m = pending[0];
    if (m && m.seq < e.seq) return rewritten(m, `entry #${m.seq} is gone`);
    for (let c = pending[0]; c && c.seq === e.seq; c = pending[0]) {
      if (c.hash !== e.hash || c.entries !== entries)
        return rewritten(
          c,
          c.hash !== e.hash ? `entry #${e.seq} has another hash` : `the chain holds ${entriesText(entries)} up to #${e.seq}`,
        );
      pending.shift();
      sinceGood = null;
    }
    prevHash = e.hash;
    prevSeq = e.seq;
  }
  const beyond = pending[pending.length - 1];
  if (beyond) {
    return {
      ok: false,
      entries,
      seq: String(prevSeq + 1n),
      reason: `the chain ends at #${prevSeq} with ${entriesText(entries)}, but ${markText(beyond)} recorded more: the newest entries were removed`,
    };
  }
  return { ok: true, entries, head: entries ? String(prevSeq) : null, checkpoints: marks.length };
}
