import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FRAME_BYTES } from '@plumbline/protocol/limits';
import { parseAgentMessage, type SequencedAgentMessage } from '@plumbline/protocol/messages';
import type { Logger } from 'pino';
import { ensurePrivateDir, quarantine, readSafely, removeStaleTemps, writeSafely } from '../state/safe-fs';

export interface SpoolLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxMessages: 10_000, maxBytes: 16 * 1024 * 1024 };

export interface SpoolOptions {
  limits?: SpoolLimits;
  /** Where entries that cannot be read go (default: `<dir>-quarantine`). */
  quarantineDir?: string;
  log?: Logger;
}

interface Entry {
  seq: number;
  file: string;
  bytes: number;
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
  ) {}

  static async open(dir: string, opts: SpoolOptions = {}): Promise<Spool> {
    await ensurePrivateDir(dir);
    // A half-written temp file from a crash: never acknowledged, never sent whole.
    await removeStaleTemps(dir);
    const spool = new Spool(dir, opts.limits ?? DEFAULT_SPOOL_LIMITS, opts.quarantineDir ?? `${dir}-quarantine`, opts.log);
    for (const name of (await readdir(dir)).sort()) {
      const m = /^(\d{16})\.json$/.exec(name);
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
    const entry = { seq: msg.seq, file, bytes };
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

  /** The spooled messages, oldest first; an entry that cannot be read is set aside and skipped. */
  async *read(): AsyncGenerator<SequencedAgentMessage> {
    for (const e of [...this.entries]) {
      const res = await readSafely(e.file, MAX_FRAME_BYTES);
      // Acknowledged (and removed) while we were reading: nothing wrong with it.
      if (!res.ok && res.missing) continue;
      const parsed = res.ok ? parseAgentMessage(res.text) : null;
      if (parsed?.success && parsed.data.type !== 'hello' && parsed.data.seq === e.seq) {
        yield parsed.data;
        continue;
      }
      const why = !res.ok ? res.why : parsed && !parsed.success ? parsed.error : 'not a message with this sequence number';
      await this.setAside(e, why);
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
