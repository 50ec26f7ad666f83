import { AGENT_CREDENTIAL, MAX_SEQ } from '@plumbline/protocol/limits';
import type { Logger } from 'pino';
import path from 'node:path';
import { parseStatus, STATUS_FILE } from '../install/status-file';
import { ensurePrivateDir, quarantine, readSafely, removeStaleTemps, writeSafely } from './safe-fs';

/**
 * What the agent keeps between runs in its state directory (0700): its credential (0600,
 * never logged) and the last sequence number it used, so numbers never repeat.
 */
export interface AgentState {
  credential: string | null;
  hostId: string | null;
  seq: number;
}

/** Where files that could not be used are moved (see quarantine()). */
export const QUARANTINE_DIR = 'quarantine';
const MAX_STATE_BYTES = 64 * 1024;

export class StateStore {
  /** Files moved aside at load because they could not be used. */
  quarantined = 0;

  constructor(
    readonly dir: string,
    private readonly log?: Logger,
  ) {}

  private get credentialFile() {
    return path.join(this.dir, 'credential');
  }

  private get stateFile() {
    return path.join(this.dir, 'state.json');
  }

  get quarantineDir() {
    return path.join(this.dir, QUARANTINE_DIR);
  }

  /**
   * Refuses an unsafe directory (UnsafeStateDirError). A credential or state file that cannot
   * be used is moved aside and logged, never fatal: a bad file must not keep the agent from
   * starting again (it would enroll again with its token, or stop with a clear message).
   */
  async load(): Promise<AgentState> {
    await ensurePrivateDir(this.dir);
    await removeStaleTemps(this.dir);
    const credential = await this.readOrSetAside(this.credentialFile, (text) => {
      const c = text.trim();
      return AGENT_CREDENTIAL.test(c) ? c : null;
    });
    const parsed = await this.readOrSetAside(this.stateFile, (text) => {
      try {
        const v = JSON.parse(text) as { hostId?: unknown; seq?: unknown };
        if (!v || typeof v !== 'object') return null;
        const hostId = typeof v.hostId === 'string' && v.hostId.length <= 128 ? v.hostId : null;
        const seq = typeof v.seq === 'number' && Number.isSafeInteger(v.seq) && v.seq >= 0 && v.seq <= MAX_SEQ ? v.seq : null;
        return seq === null ? null : { hostId, seq };
      } catch {
        return null;
      }
    });
    // Rewritten by the runner soon; a corrupt one is kept aside for whoever wonders why.
    await this.readOrSetAside(path.join(this.dir, STATUS_FILE), parseStatus);
    // A lost counter restarts at 0; the spool's numbers and the server's lastSeq raise it again.
    return { credential, hostId: parsed?.hostId ?? null, seq: parsed?.seq ?? 0 };
  }

  /** The file's value, or null when absent; an unusable file is moved to the quarantine folder. */
  private async readOrSetAside<T>(file: string, parse: (text: string) => T | null): Promise<T | null> {
    const res = await readSafely(file, MAX_STATE_BYTES);
    if (!res.ok && res.missing) return null;
    const value = res.ok ? parse(res.text) : null;
    if (value !== null) return value;
    const why = res.ok ? 'not in the expected format' : res.why;
    const moved = await quarantine(file, this.quarantineDir);
    this.quarantined++;
    this.log?.error({ file, why, movedTo: moved }, 'state file cannot be used: moved aside');
    return null;
  }

  async saveCredential(credential: string): Promise<void> {
    // The welcome was checked already; this is the last line before a header is poisoned for good.
    if (!AGENT_CREDENTIAL.test(credential)) throw new Error('refusing to store a credential outside the expected alphabet');
    await writeSafely(this.credentialFile, `${credential}\n`);
  }

  async save(state: Pick<AgentState, 'hostId' | 'seq'>): Promise<void> {
    await writeSafely(this.stateFile, JSON.stringify({ hostId: state.hostId, seq: state.seq }));
  }
}
