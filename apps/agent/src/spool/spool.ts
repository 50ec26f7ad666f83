import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FRAME_BYTES } from '@plumbline/protocol/limits';
import type { SequencedAgentMessage } from '@plumbline/protocol/messages';
import type { Logger } from 'pino';
import { ensurePrivateDir, quarantine, readSafely, removeStaleTemps, writeSafely } from '../state/safe-fs';
import { sha256Hex, SPOOL_ENTRY, type SpoolVerdict } from './entry';

export interface SpoolLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxMessages: 10_000, maxBytes: 16 * 1024 * 1024 };

export interface SpoolOptions {
  /**
   * Checks the entries of the spool directory against the message schema (`checkSpoolDir`),
   * for entries this process did not write itself: `plumbline-agent run` makes that check in
   * its helper process, so the long-running process never loads the fact schemas.
   */
  check: (dir: string) => Promise<Map<string, SpoolVerdict>>;
  limits?: SpoolLimits;
  /** Where entries that cannot be read go (default: `<dir>-quarantine`). */
  quarantineDir?: string;
  log?: Logger;
}

interface Entry {
  seq: number;
  file: string;
  bytes: number;
  /** SHA-256 of the text as written by this process, or as checked against the schema. */
  sha256?: string;
  /** Why the schema check refused it. */
  refused?: string;
}

/**
 * Messages the server has not acknowledged yet, one file per message, so that they
 * survive a restart of the agent or of the server and are sent again in order. Bounded:
 * past its limits the oldest messages are dropped (and counted); the server then asks
 * for a full snapshot, so nothing is silently wrong, only some history is coarser.
 * An entry that cannot be read back is moved to the quarantine folder and counted the same
 * way: one bad file never stops the messages after it.
 */
export class Spool {
  private entries: Entry[] = [];
  private bytes = 0;
  /** Messages dropped (spool full, or unreadable and set aside) since this process started. */
  dropped = 0;

  private constructor(
    private readonly dir: string,
    private readonly limits: SpoolLimits,
    private readonly quarantineDir: string,
    private readonly log: Logger | undefined,
    private readonly check: SpoolOptions['check'],
  ) {}

  static async open(dir: string, opts: SpoolOptions): Promise<Spool> {
    await ensurePrivateDir(dir);
    // A half-written temp file from a crash: never acknowledged, never sent whole.
    await removeStaleTemps(dir);
    const spool = new Spool(dir, opts.limits ?? DEFAULT_SPOOL_LIMITS, opts.quarantineDir ?? `${dir}-quarantine`, opts.log, opts.check);
    for (const name of (await readdir(dir)).sort()) {
      const m = SPOOL_ENTRY.exec(name);
      if (!m) continue;
      const file = path.join(dir, name);
      // lstat: the size of a planted link's target is none of our business; read() sets it aside.
      spool.entries.push({ seq: Number(m[1]), file, bytes: (await lstat(file)).size });
    }
    spool.bytes = spool.entries.reduce((n, e) => n + e.bytes, 0);
    return spool;
  }

  get size(): number {
    return this.entries.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** The highest sequence number spooled (0 when empty): numbers after a lost counter start above it. */
  get lastSeq(): number {
    return this.entries.reduce((n, e) => Math.max(n, e.seq), 0);
  }

  async put(msg: SequencedAgentMessage): Promise<void> {
    const text = JSON.stringify(msg);
    const file = path.join(this.dir, `${String(msg.seq).padStart(16, '0')}.json`);
    // Write then rename, so a crash never leaves a truncated message that looks whole.
    await writeSafely(file, text);
    const bytes = Buffer.byteLength(text);
    // Its text is known good: reading it back needs only the proof that it did not change.
    const entry: Entry = { seq: msg.seq, file, bytes, sha256: sha256Hex(text) };
    // In order even if a number comes out of turn (a counter restored from the server).
    const at = this.entries.findIndex((e) => e.seq > msg.seq);
    if (at === -1) this.entries.push(entry);
    else this.entries.splice(at, 0, entry);
    this.bytes += bytes;
    while (this.entries.length > this.limits.maxMessages || this.bytes > this.limits.maxBytes) {
      const oldest = this.entries.shift()!;
      this.bytes -= oldest.bytes;
      this.dropped++;
      await rm(oldest.file, { force: true });
    }
  }

  /** Drops every message with a sequence number up to `seq` (acknowledged by the server). */
  async ack(seq: number): Promise<void> {
    while (this.entries.length && this.entries[0]!.seq <= seq) {
      const e = this.entries.shift()!;
      this.bytes -= e.bytes;
      await rm(e.file, { force: true });
    }
  }

  async clear(): Promise<void> {
    await this.ack(Number.MAX_SAFE_INTEGER);
  }

  /**
   * The spooled messages, oldest first; an entry that cannot be read, fails the schema, or
   * changed since it was written or checked is set aside and skipped.
   */
  async *read(): AsyncGenerator<SequencedAgentMessage> {
    await this.checkUnknown();
    for (const e of [...this.entries]) {
      const res = await readSafely(e.file, MAX_FRAME_BYTES);
      // Acknowledged (and removed) while we were reading: nothing wrong with it.
      if (!res.ok && res.missing) continue;
      if (res.ok && e.sha256 !== undefined && sha256Hex(res.text) === e.sha256) {
        // The very text that passed the schema check (or that this process wrote).
        yield JSON.parse(res.text) as SequencedAgentMessage;
        continue;
      }
      await this.setAside(e, !res.ok ? res.why : (e.refused ?? 'changed on disk since it was checked'));
    }
  }

  /** Entries found on disk at open (an earlier process wrote them) get the schema check. */
  private async checkUnknown(): Promise<void> {
    const unknown = this.entries.filter((e) => e.sha256 === undefined && e.refused === undefined);
    if (!unknown.length) return;
    const verdicts = await this.check(this.dir);
    for (const e of unknown) {
      const v = verdicts.get(path.basename(e.file));
      if (v && 'sha256' in v) e.sha256 = v.sha256;
      else if (v) e.refused = v.why;
    }
  }

  private async setAside(e: Entry, why: string): Promise<void> {
    const i = this.entries.indexOf(e);
    if (i === -1) return;
    this.entries.splice(i, 1);
    this.bytes -= e.bytes;
    this.dropped++;
    const movedTo = await quarantine(e.file, this.quarantineDir).catch(async () => {
      await rm(e.file, { force: true });
      return null;
    });
    this.log?.error({ file: e.file, seq: e.seq, why, movedTo }, 'spooled message cannot be read: set aside, reported as dropped');
  }
}
