import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the agent keeps between runs in its state directory (0700): its credential (0600,
 * never logged) and the last sequence number it used, so numbers never repeat.
 */
export interface AgentState {
  credential: string | null;
  hostId: string | null;
  seq: number;
}

export class StateStore {
  constructor(readonly dir: string) {}

  private get credentialFile() {
    return path.join(this.dir, 'credential');
  }

  private get stateFile() {
    return path.join(this.dir, 'state.json');
  }

  async load(): Promise<AgentState> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const credential = (await readFile(this.credentialFile, 'utf8').catch(() => '')).trim() || null;
    const raw = await readFile(this.stateFile, 'utf8').catch(() => '{}');
    let parsed: { hostId?: unknown; seq?: unknown } = {};
    try {
      parsed = JSON.parse(raw) as typeof parsed;
    } catch {
      // A corrupt state file loses only the counter; the server ignores replays by sequence.
    }
    return {
      credential,
      hostId: typeof parsed.hostId === 'string' ? parsed.hostId : null,
      seq: typeof parsed.seq === 'number' && Number.isSafeInteger(parsed.seq) ? parsed.seq : 0,
    };
  }

  async saveCredential(credential: string): Promise<void> {
    await atomicWrite(this.credentialFile, `${credential}\n`);
  }

  async save(state: Pick<AgentState, 'hostId' | 'seq'>): Promise<void> {
    await atomicWrite(this.stateFile, JSON.stringify({ hostId: state.hostId, seq: state.seq }));
  }
}

async function atomicWrite(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
