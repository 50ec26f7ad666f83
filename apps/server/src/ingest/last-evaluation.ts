import { judgedAgain, READS_ALL, READS_CLOCK, type SincePrevious, type TrackedEvaluation } from '@plumbline/benchmarks/engine';
import type { Selection } from '@plumbline/benchmarks/tailoring';

interface Entry {
  /** The facts digest the host was evaluated at, and a digest of the verdicts it left. */
  digest: string;
  verdicts: string;
  selection: Selection;
  scheme: TrackedEvaluation['scheme'];
  /** Per rule, the index of its reads in the shared table, of this generation of it. */
  reads: Uint16Array;
  generation: number;
}

/** Hosts remembered; an entry is about 600 bytes with 187 rules. */
const MAX_HOSTS = 50_000;
/** Distinct read lists kept (a few hundred in practice); past this the table starts over. */
const MAX_READ_LISTS = 65_535;

/**
 * What each host's last evaluation in this process read, so that the next one judges only
 * the rules that read a fact that changed (`evaluateTracked`). Used only when the host's
 * stored facts and verdicts are still those it left and the policy selection is the same
 * object: after any other writer (another replica, a re-evaluation) they do not match, and
 * the next evaluation judges every rule. Rule read lists repeat from host to host, so they
 * are kept once and each host holds indexes.
 */
export class LastEvaluations {
  private readonly hosts = new Map<string, Entry>();
  private lists: (readonly string[])[] = [];
  private listIndex = new Map<string, number>();
  private generation = 0;

  /**
   * The previous evaluation to build on, if the host is still where it was left: its stored
   * facts digest, the verdicts stored (`storedVerdicts`, their fingerprint) and the selection.
   */
  since(
    hostId: string,
    storedDigest: string | null,
    selection: Selection,
    storedVerdicts: () => string,
    changed: ReadonlySet<string>,
  ): SincePrevious | undefined {
    const e = this.hosts.get(hostId);
    if (!e || e.digest !== storedDigest || e.selection !== selection || e.generation !== this.generation) return undefined;
    if (e.verdicts !== storedVerdicts()) return undefined;
    return { reads: Array.from(e.reads, (i) => this.lists[i] as readonly string[]), scheme: e.scheme, changed };
  }

  /**
   * The facts the next evaluation of a host will likely read if the `changed` facts differ:
   * what the rules it would judge again read last time. Null when this process has no
   * evaluation of the host or such a rule lists every fact. A guess, not a promise: a rule
   * judged again may take another branch and read more.
   */
  likelyReads(hostId: string, changed: ReadonlySet<string>): Set<string> | null {
    const e = this.hosts.get(hostId);
    if (!e || e.generation !== this.generation) return null;
    const out = new Set(changed);
    for (const i of new Set(e.reads)) {
      const reads = this.lists[i] as readonly string[];
      if (!judgedAgain(reads, changed)) continue;
      if (reads.includes(READS_ALL)) return null;
      for (const name of reads) if (name !== READS_CLOCK) out.add(name);
    }
    return out;
  }

  remember(hostId: string, digest: string, verdicts: string, selection: Selection, evaluation: TrackedEvaluation): void {
    if (this.lists.length + evaluation.reads.length > MAX_READ_LISTS) {
      this.lists = [];
      this.listIndex = new Map();
      this.generation++;
    }
    const reads = Uint16Array.from(evaluation.reads, (list) => this.intern(list));
    this.hosts.delete(hostId); // re-inserted last: the oldest entry is the first to go
    this.hosts.set(hostId, { digest, verdicts, selection, scheme: evaluation.scheme, reads, generation: this.generation });
    if (this.hosts.size > MAX_HOSTS) this.hosts.delete(this.hosts.keys().next().value as string);
  }

  forget(hostId: string): void {
    this.hosts.delete(hostId);
  }

  private intern(list: readonly string[]): number {
    const key = list.join('\n');
    let i = this.listIndex.get(key);
    if (i === undefined) {
      i = this.lists.length;
      this.lists.push(list);
      this.listIndex.set(key, i);
    }
    return i;
  }
}
