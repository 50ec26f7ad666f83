import { judgedAgain, READS_ALL, READS_CLOCK, type SincePrevious, type Status, type TrackedEvaluation } from '@plumbline/benchmarks/engine';
import type { Selection } from '@plumbline/benchmarks/tailoring';

/** What the process keeps of a host's last evaluation (see `prepare`). */
export interface Entry {
  /** The facts digest the host was evaluated at, and the revision of the verdicts it left. */
  digest: string;
  rev: number;
  /** Per rule of the selection, in its order, the status left (an index in STATUSES). */
  statuses: Uint8Array;
  selection: Selection;
  scheme: TrackedEvaluation['scheme'];
  /** Per rule, the index of its reads in the shared table, of this generation of it. */
  reads: Uint16Array;
  /** The names of the facts that had a value (the index of the sorted list in the shared table), and 32 bits of each one's digest. */
  facts: number;
  factHashes: Uint32Array;
  generation: number;
}

const STATUSES: readonly Status[] = ['pass', 'fail', 'notapplicable', 'error'];
const STATUS_CODE = new Map(STATUSES.map((s, i) => [s, i]));

/** 32 bits of a digest: a hash of its first eight characters (48 bits of a base64url digest). */
function digestBits(digest: string): number {
  let bits = 0;
  for (let i = 0; i < 8; i++) bits = (Math.imul(bits, 31) + digest.charCodeAt(i)) | 0;
  return bits >>> 0;
}

/** Hosts remembered; an entry is about 800 bytes with 193 rules. */
const MAX_HOSTS = 50_000;
/** Distinct read lists kept (a few hundred in practice); past this the table starts over. */
const MAX_READ_LISTS = 65_535;

/** The verdicts this process knows of a host (see `LastEvaluations.known`). */
export interface KnownVerdicts {
  /** The revision of the host's stored verdicts they are. */
  rev: number;
  /** The rules whose stored verdicts an ingest still needs: those it will likely judge again. */
  needed: string[];
}

/** A previous evaluation to build on, and the status each rule was left with. */
export interface Previous {
  since: SincePrevious;
  status(index: number): Status;
}

/**
 * What each host's last evaluation in this process read and left, so that the next one
 * judges only the rules that read a fact that changed (`evaluateTracked`) and needs the
 * stored verdicts of those rules alone. Used only when the host's stored facts digest and
 * verdicts revision are still those it left and the policy selection is the same object:
 * after any other writer (another replica, a re-evaluation) they do not match, and the next
 * evaluation judges every rule from every stored verdict. An evaluation is kept once its
 * transaction has committed (`prepare`, then `keep`), never before: a rolled back one would
 * leave a revision that the next writer of the host reaches with other verdicts. Rule read lists
 * repeat from host to host, so they are kept once and each host holds indexes.
 */
export class LastEvaluations {
  private readonly hosts = new Map<string, Entry>();
  private lists: (readonly string[])[] = [];
  private listIndex = new Map<string, number>();
  /** The index of each list in `lists` by the list itself: a rule not judged again hands back the very list it was given. */
  private listObjects = new Map<readonly string[], number>();
  private generation = 0;

  /**
   * The verdicts this process knows of a host, as of their revision, and those of them an
   * ingest changing the `changing` facts will need (see `lockHosts`): the verdicts of the
   * rules it will judge again. Null when it knows none. Should more be judged (the version
   * scheme changed, or a fact the message does not name), the evaluation reads their verdicts.
   */
  known(hostId: string, changing: ReadonlySet<string>): KnownVerdicts | null {
    const e = this.current(hostId);
    if (!e) return null;
    const needed: string[] = [];
    e.reads.forEach((list, i) => {
      if (judgedAgain(this.lists[list] as readonly string[], changing)) needed.push((e.selection.rules[i] as { id: string }).id);
    });
    return { rev: e.rev, needed };
  }

  /**
   * The facts a snapshot of a host changes, as far as this process can tell before reading
   * the host: those whose digest differs from the one its last evaluation here left (by 32
   * bits of it), that appear or go, or that carry an error. Null when it knows none. A guess
   * that errs only by missing a change once in billions: what is judged again follows from
   * the stored digests, and the verdicts a guess left out are read then (see `known`).
   */
  changedSince(hostId: string, incoming: ReadonlyMap<string, string>, errors: Iterable<string>): Set<string> | null {
    const e = this.current(hostId);
    if (!e) return null;
    const out = new Set(errors);
    const names = this.lists[e.facts] as readonly string[];
    let present = 0;
    names.forEach((name, i) => {
      const digest = incoming.get(name);
      if (digest !== undefined) present++;
      if (digest === undefined || digestBits(digest) !== e.factHashes[i]) out.add(name);
    });
    // Facts that had no value then.
    if (present !== incoming.size) for (const name of incoming.keys()) if (!names.includes(name)) out.add(name);
    return out;
  }

  /**
   * The previous evaluation to build on, if the host is still where it was left: its stored
   * facts digest, the revision of its stored verdicts, and the selection.
   */
  since(
    hostId: string,
    storedDigest: string | null,
    selection: Selection,
    storedRev: number,
    changed: ReadonlySet<string>,
  ): Previous | undefined {
    const e = this.current(hostId);
    if (!e || e.digest !== storedDigest || e.selection !== selection || e.rev !== storedRev) return undefined;
    const reads: (readonly string[])[] = new Array(e.reads.length);
    for (let i = 0; i < e.reads.length; i++) reads[i] = this.lists[e.reads[i] as number] as readonly string[];
    return {
      since: { reads, scheme: e.scheme, changed },
      status: (i) => STATUSES[e.statuses[i] as number] as Status,
    };
  }

  /**
   * The facts the next evaluation of a host will likely read if the `changed` facts differ:
   * what the rules it would judge again read last time. Null when this process has no
   * evaluation of the host or such a rule lists every fact. A guess, not a promise: a rule
   * judged again may take another branch and read more.
   */
  likelyReads(hostId: string, changed: ReadonlySet<string>): Set<string> | null {
    const e = this.current(hostId);
    if (!e) return null;
    const out = new Set(changed);
    for (const i of new Set(e.reads)) {
      const reads = this.lists[i] as readonly string[];
      if (!judgedAgain(reads, changed)) continue;
      if (reads.includes(READS_ALL)) return null;
      for (const name of reads) if (name !== READS_CLOCK) out.add(name);
    }
    return out;
  }

  /**
   * What an evaluation leaves, in the compact form kept per host (a byte per rule's status, an
   * index per rule's reads): made at once, so that the evaluation's results need not be held
   * until its transaction commits; `keep` stores it then. Null for a status it cannot hold.
   */
  prepare(
    digest: string,
    rev: number,
    selection: Selection,
    evaluation: TrackedEvaluation,
    statuses: readonly Status[],
    factDigests: ReadonlyMap<string, string>,
  ): Entry | null {
    // Plain loops: `from` with a mapping function walks its source through an iterator, an object per element.
    const codes = new Uint8Array(statuses.length);
    for (let i = 0; i < statuses.length; i++) {
      const code = STATUS_CODE.get(statuses[i] as Status);
      if (code === undefined) return null;
      codes[i] = code;
    }
    if (this.lists.length + evaluation.reads.length + 1 > MAX_READ_LISTS) {
      this.lists = [];
      this.listIndex = new Map();
      this.listObjects = new Map();
      this.generation++;
    }
    const reads = new Uint16Array(evaluation.reads.length);
    for (let i = 0; i < reads.length; i++) reads[i] = this.intern(evaluation.reads[i] as readonly string[]);
    const names = [...factDigests.keys()].sort();
    const factHashes = new Uint32Array(names.length);
    for (let i = 0; i < names.length; i++) factHashes[i] = digestBits(factDigests.get(names[i] as string) as string);
    const facts = this.intern(names);
    return { digest, rev, statuses: codes, selection, scheme: evaluation.scheme, reads, facts, factHashes, generation: this.generation };
  }

  /** Once the evaluation's transaction has committed: what `prepare` made of it is what the host's next ingest builds on. */
  keep(hostId: string, entry: Entry | null): void {
    this.hosts.delete(hostId); // re-inserted last: the oldest entry is the first to go
    if (!entry) return;
    this.hosts.set(hostId, entry);
    if (this.hosts.size > MAX_HOSTS) this.hosts.delete(this.hosts.keys().next().value as string);
  }

  forget(hostId: string): void {
    this.hosts.delete(hostId);
  }

  private current(hostId: string): Entry | undefined {
    const e = this.hosts.get(hostId);
    return e && e.generation === this.generation ? e : undefined;
  }

  private intern(list: readonly string[]): number {
    const same = this.listObjects.get(list);
    if (same !== undefined) return same;
    const key = list.join('\n');
    let i = this.listIndex.get(key);
    if (i === undefined) {
      i = this.lists.length;
      this.lists.push(list);
      this.listIndex.set(key, i);
      this.listObjects.set(list, i);
    }
    return i;
  }
}
