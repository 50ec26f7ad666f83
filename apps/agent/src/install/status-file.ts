import path from 'node:path';
// zod/mini: read by the long-running `run` (see packages/protocol/src/frame.ts).
import * as z from '@plumbline/protocol/zod-mini';
import { readSafely, writeSafely } from '../state/safe-fs';

/**
 * `<state_dir>/status.json`: what the running agent last did, for `plumbline-agent status`
 * (which cannot ask the process itself). Written by the runner; advisory only.
 */
const Count = z.number().check(z.int(), z.nonnegative());
const Text = z.nullable(z.string());

export const AgentStatus = z.object({
  pid: z.number().check(z.int()),
  updatedAt: z.string(),
  server: Text,
  hostId: Text,
  connected: z.boolean(),
  lastConnectedAt: Text,
  lastDisconnectedAt: Text,
  lastMessageAt: Text,
  lastMessageType: Text,
  lastAckAt: Text,
  spoolMessages: Count,
  spoolBytes: Count,
  spoolDropped: Count,
});
export type AgentStatus = z.infer<typeof AgentStatus>;

export const STATUS_FILE = 'status.json';

const EMPTY: Omit<AgentStatus, 'pid' | 'updatedAt'> = {
  server: null,
  hostId: null,
  connected: false,
  lastConnectedAt: null,
  lastDisconnectedAt: null,
  lastMessageAt: null,
  lastMessageType: null,
  lastAckAt: null,
  spoolMessages: 0,
  spoolBytes: 0,
  spoolDropped: 0,
};

/**
 * Keeps the status in memory and writes it at most once per `minIntervalMs` (a digest every
 * few seconds must not mean a disk write every few seconds), and at once when the
 * connection state changes. Write errors are kept, never thrown: status must not stop the agent.
 */
export class StatusFile {
  private status: Omit<AgentStatus, 'pid' | 'updatedAt'> = { ...EMPTY };
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = 0;
  private writing: Promise<void> = Promise.resolve();
  lastError: Error | null = null;

  constructor(
    private readonly stateDir: string,
    private readonly minIntervalMs = 5000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get file(): string {
    return path.join(this.stateDir, STATUS_FILE);
  }

  /** Merges `patch`; `connected` changes are written immediately, the rest coalesced. */
  update(patch: Partial<Omit<AgentStatus, 'pid' | 'updatedAt'>>): void {
    const urgent = patch.connected !== undefined && patch.connected !== this.status.connected;
    this.status = { ...this.status, ...patch };
    const wait = urgent ? 0 : Math.max(0, this.lastWrite + this.minIntervalMs - this.now().getTime());
    if (this.timer && !urgent) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), wait);
    this.timer.unref();
  }

  /** Writes now (also used on shutdown, after `connected: false`). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastWrite = this.now().getTime();
    const body: AgentStatus = { pid: process.pid, updatedAt: this.now().toISOString(), ...this.status };
    this.writing = this.writing.then(async () => {
      try {
        // The runner checked the directory at start; no link planted since is followed.
        await writeSafely(this.file, `${JSON.stringify(body, null, 2)}\n`);
        this.lastError = null;
      } catch (err) {
        this.lastError = err as Error;
      }
    });
    return this.writing;
  }
}

/** A status file's content, or null when it is not one. */
export function parseStatus(text: string): AgentStatus | null {
  try {
    const parsed = AgentStatus.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The last status the agent wrote, or null (never written, unreadable, a link, or not ours). */
export async function readStatusFile(stateDir: string): Promise<AgentStatus | null> {
  const res = await readSafely(path.join(stateDir, STATUS_FILE), 1024 * 1024);
  return res.ok ? parseStatus(res.text) : null;
}
