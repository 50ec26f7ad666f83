import type { AgentMessage, ServerMessage } from '@plumbline/protocol/messages';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import { connect, send, UPGRADE_DEADLINE_MS, type RejectedError, type TlsOptions } from './connection';
import { ThrottledLog } from './throttled-log';

export interface Deadlines {
  /** The whole opening handshake. */
  upgradeMs: number;
  /** From the open socket to the server's welcome. */
  welcomeMs: number;
  /** From sending a message to its acknowledgement. */
  ackMs: number;
  /** A connection counts as healthy (and the backoff starts over) this long after its first ack. */
  healthyMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { upgradeMs: UPGRADE_DEADLINE_MS, welcomeMs: 30_000, ackMs: 120_000, healthyMs: 15_000 };

/** Close codes the agent sends: the server broke the protocol, or went quiet. */
export const AgentCloseCode = { refused: 4400, timeout: 4408, flooded: 1008, internal: 1011 } as const;

/** Thrown by the welcome handler to refuse a welcome (nothing of it is kept). */
export class WelcomeRefused extends Error {}

type WelcomeMessage = Extract<ServerMessage, { type: 'welcome' }>;
export type OtherServerMessage = Exclude<ServerMessage, { type: 'welcome' | 'ack' }>;

export interface LinkHandlers {
  hello(): AgentMessage;
  /** Runs before any later message is handled; throw WelcomeRefused to drop the connection. */
  welcome(payload: WelcomeMessage['payload']): Promise<void>;
  /** `seq` is at most the highest sequence number sent on this link. */
  acked(seq: number): Promise<void>;
  message(msg: OtherServerMessage): Promise<void>;
  healthy(): void;
  closed(code: number, reason: string): void;
  rejected(err: RejectedError): void;
}

/** Messages waiting to be handled beyond which the server is flooding us: the link is dropped. */
const MAX_QUEUED = 10_000;

/**
 * One connection to the server and the rules it must follow. Its messages are handled one
 * at a time, in the order they came (an ack never overtakes the welcome before it), and only
 * after the welcome; an ack for a number never sent on it is ignored. The welcome and each
 * acknowledgement have a deadline; past it the link is dropped and the runner retries.
 */
export class Link {
  private readonly ws: WebSocket;
  private welcomed = false;
  private ended = false;
  private sentMax = 0;
  /** Sequence numbers sent and not yet acknowledged, with when they were sent. */
  private unacked: { seq: number; at: number }[] = [];
  private acks = 0;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private ackTimer: NodeJS.Timeout | null = null;
  private readonly noisy: ThrottledLog;

  constructor(
    server: string,
    secret: string,
    private readonly log: Logger,
    private readonly h: LinkHandlers,
    tls: TlsOptions | undefined,
    private readonly deadlines: Deadlines,
  ) {
    this.noisy = new ThrottledLog(log);
    this.ws = connect(
      server,
      secret,
      log,
      {
        onOpen: () => {
          if (this.ended) return;
          this.after(this.deadlines.welcomeMs, () => this.drop(AgentCloseCode.timeout, `no welcome within ${this.deadlines.welcomeMs} ms`));
          send(this.ws, this.h.hello());
        },
        onMessage: (msg) => this.enqueue(msg),
        onMalformed: (reason) => this.noisy.warn('malformed', { reason }, 'ignoring a malformed server message'),
        onClose: (code, reason) => this.end(() => this.h.closed(code, reason)),
        onRejected: (err) => this.end(() => this.h.rejected(err)),
      },
      tls,
      deadlines.upgradeMs,
    );
  }

  get ready(): boolean {
    return this.welcomed && !this.ended;
  }

  /** Sends a message; sequenced ones are expected back as acks within the deadline. */
  send(msg: AgentMessage): boolean {
    if (this.ended || !send(this.ws, msg)) return false;
    if (msg.type !== 'hello') {
      this.sentMax = Math.max(this.sentMax, msg.seq);
      this.unacked.push({ seq: msg.seq, at: performance.now() });
      if (!this.ackTimer) this.armAckTimer();
    }
    return true;
  }

  /** Closes the link for good (the runner is stopping, or replaces it). */
  close(code: number, reason: string): void {
    this.ended = true;
    this.clearTimers();
    this.noisy.flush();
    this.ws.close(code, reason);
  }

  /** Drops the link: the runner hears of it at once, whatever the server does with the close. */
  private drop(code: number, reason: string): void {
    if (this.ended) return;
    this.log.warn({ code, reason }, 'dropping the connection');
    this.end(() => this.h.closed(code, reason));
    this.ws.close(code, reason);
    // A server that never answers the close frame must not keep the socket.
    const ws = this.ws;
    setTimeout(() => ws.terminate(), 2000).unref();
  }

  private end(report: () => void): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.noisy.flush();
    report();
  }

  private enqueue(msg: ServerMessage): void {
    if (this.ended) return;
    if (++this.queued > MAX_QUEUED) {
      this.drop(AgentCloseCode.flooded, `more than ${MAX_QUEUED} server messages waiting`);
      return;
    }
    this.tail = this.tail
      .then(() => (this.ended ? undefined : this.dispatch(msg)))
      .catch((err: unknown) => {
        // Whatever failed (a full disk, a bug), a link that half-handled a message is not trusted on.
        this.log.error({ err, type: msg.type }, 'handling a server message failed');
        this.drop(AgentCloseCode.internal, 'agent could not handle a message');
      })
      .finally(() => this.queued--);
  }

  private async dispatch(msg: ServerMessage): Promise<void> {
    if (msg.type === 'welcome') {
      if (this.welcomed) return this.noisy.warn('second-welcome', {}, 'ignoring a second welcome on this connection');
      this.clearTimers();
      try {
        await this.h.welcome(msg.payload);
      } catch (err) {
        if (!(err instanceof WelcomeRefused)) throw err;
        this.log.error({ reason: err.message }, 'refusing the server welcome');
        return this.drop(AgentCloseCode.refused, `welcome refused: ${err.message}`);
      }
      this.welcomed = true;
      return;
    }
    if (!this.welcomed) return this.noisy.warn('before-welcome', { type: msg.type }, 'ignoring a server message sent before the welcome');
    if (msg.type === 'resync' && this.unacked.length) {
      // The server answers each message with an ack or a resync: the oldest one was answered,
      // and its snapshot follows at the resync gate's pace, not within the ack deadline.
      this.unacked.shift();
      this.armAckTimer();
    }
    if (msg.type !== 'ack') return this.h.message(msg);
    if (msg.seq > this.sentMax) {
      return this.noisy.warn(
        'ack-unsent',
        { seq: msg.seq, sentMax: this.sentMax },
        'ignoring an acknowledgement of a sequence number never sent',
      );
    }
    this.unacked = this.unacked.filter((u) => u.seq > msg.seq);
    this.armAckTimer();
    if (++this.acks === 1) this.after(this.deadlines.healthyMs, () => this.h.healthy());
    await this.h.acked(msg.seq);
  }

  /** The ack deadline follows the oldest message still waiting. */
  private armAckTimer(): void {
    if (this.ackTimer) {
      clearTimeout(this.ackTimer);
      this.timers.delete(this.ackTimer);
      this.ackTimer = null;
    }
    const oldest = this.unacked[0];
    if (!oldest || this.ended) return;
    const wait = Math.max(0, oldest.at + this.deadlines.ackMs - performance.now());
    this.ackTimer = this.after(wait, () =>
      this.drop(AgentCloseCode.timeout, `message ${oldest.seq} not acknowledged within ${this.deadlines.ackMs} ms`),
    );
  }

  private after(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.ended) fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ackTimer = null;
  }
}
