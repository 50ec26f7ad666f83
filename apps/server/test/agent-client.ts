import { setDigest } from '@plumbline/protocol/digest';
import { PROTOCOL_VERSION, type ProtocolVersion } from '@plumbline/protocol/limits';
import type { Facts } from '@plumbline/protocol/facts';
import type { AgentMessage, ServerMessage } from '@plumbline/protocol/messages';
import WebSocket from 'ws';

/** A scripted agent speaking the real protocol over a real socket, for gateway tests. */
export class TestAgent {
  readonly received: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.received.push(JSON.parse(d.toString()) as ServerMessage);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Connects; resolves with the agent, or rejects with the HTTP status of a refused upgrade. */
  static connect(baseUrl: string, secret?: string): Promise<TestAgent> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/agent/v1/ws`, {
      headers: secret ? { Authorization: `Bearer ${secret}` } : {},
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestAgent(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`http ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(msg: AgentMessage | string | Buffer): void {
    this.ws.send(typeof msg === 'string' || Buffer.isBuffer(msg) ? msg : JSON.stringify(msg));
  }

  /** Waits for the next server message of a type (or the close), at most `ms`. */
  async next<T extends ServerMessage['type']>(type: T, ms = 5000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex((m) => m.type === type);
      if (i >= 0) return this.received.splice(i, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (this.closed) throw new Error(`closed ${this.closed.code} ${this.closed.reason} while waiting for ${type}`);
      if (Date.now() > deadline) throw new Error(`no ${type} within ${ms} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  async waitClose(ms = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}

/** Messages in this build's protocol version unless told otherwise (`version` 1: an agent of the previous release). */
export const hello = (hostname: string, version: ProtocolVersion = PROTOCOL_VERSION): AgentMessage => ({
  version,
  type: 'hello',
  payload: { agentVersion: 'test', hostname, machineId: null, intervalSeconds: 30, spoolDropped: 0, sentAt: new Date().toISOString() },
});

export function hostFacts(hostname: string, permitRootLogin = 'no'): Facts {
  return {
    host: {
      hostname,
      machine_id: null,
      os: {
        id: 'debian',
        id_like: [],
        name: 'Debian GNU/Linux',
        version_id: '12',
        version_codename: 'bookworm',
        pretty_name: 'Debian GNU/Linux 12 (bookworm)',
      },
      kernel: { release: '6.1.0', version: null },
      arch: 'x86_64',
      boot_time: null,
      virtualization: null,
    },
    sshd_config: {
      source: 'files',
      main_file: '/etc/ssh/sshd_config',
      files: ['/etc/ssh/sshd_config'],
      settings: {
        permitrootlogin: {
          keyword: 'PermitRootLogin',
          value: permitRootLogin,
          args: [permitRootLogin],
          file: '/etc/ssh/sshd_config',
          line: 3,
        },
      },
      match_blocks: [],
      warnings: [],
    },
  } as Facts;
}

/** A small `sysctl` fact: one runtime value, nothing persisted. */
export const sysctl = {
  runtime: { 'net.ipv4.ip_forward': { value: '0', source: '/proc/sys/net/ipv4/ip_forward' } },
  persisted: {},
  files: [],
  masked_files: [],
  warnings: [],
};

export const snapshot = (
  seq: number,
  facts: Facts,
  observedAt = new Date().toISOString(),
  version: ProtocolVersion = PROTOCOL_VERSION,
): AgentMessage => ({
  version,
  type: 'snapshot',
  seq,
  payload: { observedAt, digest: setDigest(version, facts, {}), facts, errors: {} },
});

export const delta = (
  seq: number,
  base: Facts,
  next: Facts,
  observedAt = new Date().toISOString(),
  version: ProtocolVersion = PROTOCOL_VERSION,
): AgentMessage => ({
  version,
  type: 'delta',
  seq,
  payload: { observedAt, baseDigest: setDigest(version, base, {}), digest: setDigest(version, next, {}), set: next, unset: [], errors: {} },
});

/** Connects an agent with `token` as `hostname` and has its first snapshot acknowledged; returns the agent, its host id and those facts. */
export async function connectHost(url: string, token: string, hostname: string, permitRootLogin = 'no') {
  const agent = await TestAgent.connect(url, token);
  agent.send(hello(hostname));
  const hostId = (await agent.next('welcome')).payload.hostId;
  const facts = hostFacts(hostname, permitRootLogin);
  agent.send(snapshot(1, facts));
  await agent.next('ack');
  return { agent, hostId, facts };
}
