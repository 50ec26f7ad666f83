import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SequencedAgentMessage } from '@plumbline/protocol/messages';

export interface SpoolLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxMessages: 10_000, maxBytes: 16 * 1024 * 1024 };

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
 */
export class Spool {
  private entries: Entry[] = [];
  private bytes = 0;
  /** Messages dropped because the spool was full, since this process started. */
  dropped = 0;

  private constructor(
    private readonly dir: string,
    private readonly limits: SpoolLimits,
  ) {}

  static async open(dir: string, limits: SpoolLimits = DEFAULT_SPOOL_LIMITS): Promise<Spool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const spool = new Spool(dir, limits);
    for (const name of (await readdir(dir)).sort()) {
      const m = /^(\d{16})\.json$/.exec(name);
      if (!m) {
        // A half-written temp file from a crash: never acknowledged, never sent whole.
        if (name.endsWith('.tmp')) await rm(path.join(dir, name), { force: true });
        continue;
      }
      const file = path.join(dir, name);
      spool.entries.push({ seq: Number(m[1]), file, bytes: (await stat(file)).size });
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

  async put(msg: SequencedAgentMessage): Promise<void> {
    const text = JSON.stringify(msg);
    const file = path.join(this.dir, `${String(msg.seq).padStart(16, '0')}.json`);
    // Write then rename, so a crash never leaves a truncated message that looks whole.
    await writeFile(`${file}.tmp`, text, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    const bytes = Buffer.byteLength(text);
    this.entries.push({ seq: msg.seq, file, bytes });
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

  /** The spooled messages, oldest first. */
  async *read(): AsyncGenerator<SequencedAgentMessage> {
    for (const e of [...this.entries]) {
      const text = await readFile(e.file, 'utf8').catch(() => null);
      if (text) yield JSON.parse(text) as SequencedAgentMessage;
    }
  }
}
