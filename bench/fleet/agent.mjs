// One simulated agent: the real protocol over a real WebSocket, with the real agent's
// behaviour where it matters for the server (hello first, snapshot/delta spooled until
// acknowledged and replayed after reconnect, digests only while connected, full-jitter
// reconnect backoff from 1 s to 5 min, a snapshot when the server asks for a resync).
// The spool lives in memory: the bench process itself never restarts.
// With several server replicas the agent stands behind a load balancer: it is given every
// replica's URL, starts on one, and tries the next one whenever a connection fails or closes.
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { changeFacts, digestOfDigests, factDigests, PROTOCOL_VERSION } from './facts.mjs';

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** CloseCode.rebalanced (packages/protocol/src/limits.ts). */
const REBALANCED = 4307;

export class SimAgent {
  constructor({ index, urls, first = 0, token, localAddress, facts, errors, intervalMs, changeRate, random, WebSocket, stats }) {
    Object.assign(this, { index, urls, token, localAddress, facts, errors, intervalMs, changeRate, random, WebSocket, stats });
    /** The replica (index into `urls`) the next connection goes to, and the one welcomed on (null while not connected). */
    this.target = first % urls.length;
    this.replica = null;
    /** When the server last answered (welcome or ack): it keeps that as the host's last-seen time. */
    this.heardAt = 0;
    // Kept per fact, as the agent keeps them: a change digests the changed fact alone.
    this.factDigests = factDigests(facts);
    this.digest = digestOfDigests(this.factDigests, errors);
    this.credential = null;
    this.hostId = null;
    this.seq = 0;
    this.acked = 0;
    /** Snapshots and deltas not acknowledged yet, oldest first: { seq, text }. */
    this.spool = [];
    this.ws = null;
    this.ready = false;
    this.stopped = false;
    this.attempt = 0;
    /** Welcomes received: a new one means a new connection. */
    this.welcomes = 0;
    this.changes = 0;
    /** Change rows the server should hold for this host, by the simulator's own count. */
    this.expectedRows = 0;
    /** Resolves at the first acknowledged snapshot: the agent is enrolled and stored. */
    this.stored = new Promise((resolve) => (this.onStored = resolve));
    this.ticking = null;
    this.trackLatency = false;
  }

  start() {
    this.open();
    return this.stored;
  }

  open() {
    if (this.stopped) return;
    const replica = this.target;
    const ws = new this.WebSocket(this.urls[replica], {
      headers: { Authorization: `Bearer ${this.credential ?? this.token}` },
      localAddress: this.localAddress,
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    this.ws = ws;
    ws.on('open', () => this.send(this.hello()));
    ws.on('message', (data) => this.onMessage(JSON.parse(data.toString()), replica));
    ws.on('unexpected-response', (_req, res) => {
      this.stats.count(`http_${res.statusCode}`);
      ws.terminate();
    });
    ws.on('error', (err) => this.stats.count(`error_${err.code ?? 'other'}`));
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.ready) this.stats.connected(-1, this.replica);
      this.ready = false;
      this.replica = null;
      if (this.stopped) return;
      // Failed to connect, or dropped: the next attempt goes to the next replica.
      this.target = (replica + 1) % this.urls.length;
      if (code === REBALANCED) {
        // Asked to move (the server holds more than its share): back in a moment, as the agent does.
        this.stats.count('moved');
        this.reconnect = setTimeout(() => this.open(), Math.max(100, Math.round((BACKOFF_BASE_MS + 2000) * this.random())));
        return;
      }
      const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
      this.attempt = Math.min(this.attempt + 1, 30);
      this.reconnect = setTimeout(() => this.open(), Math.max(100, Math.round(cap * this.random())));
    });
  }

  hello() {
    const host = this.facts.host;
    return {
      version: PROTOCOL_VERSION,
      type: 'hello',
      payload: {
        agentVersion: 'fleet-sim',
        hostname: host.hostname,
        machineId: host.machine_id,
        intervalSeconds: Math.round(this.intervalMs / 1000),
        spoolDropped: 0,
        sentAt: new Date().toISOString(),
      },
    };
  }

  send(msg) {
    const text = typeof msg === 'string' ? msg : JSON.stringify(msg);
    if (this.ws?.readyState === this.WebSocket.OPEN) this.ws.send(text);
  }

  onMessage(msg, replica) {
    if (msg.type === 'welcome') return this.onWelcome(msg.payload, replica);
    if (msg.type === 'ack') return this.onAck(msg.seq, replica);
    if (msg.type === 'resync') {
      this.stats.count('resync');
      this.spool = [];
      return this.emit('snapshot');
    }
    if (msg.type === 'error') this.stats.count(`server_error_${msg.payload.code}`);
  }

  onWelcome(p, replica) {
    if (p.credential) this.credential = p.credential;
    // The server must still hold everything it acknowledged before; anything less is lost.
    if (p.lastSeq < this.acked) this.stats.lost(this, this.acked - p.lastSeq);
    this.hostId = p.hostId;
    this.seq = Math.max(this.seq, p.lastSeq);
    this.attempt = 0;
    this.dropAcked(p.lastSeq);
    for (const m of this.spool) this.send(m.text);
    this.ready = true;
    this.welcomes++;
    this.replica = replica;
    this.heardAt = performance.now();
    this.stats.connected(+1, replica);
    if (!this.spool.length) this.emit(p.digest === this.digest ? 'digest' : 'snapshot');
  }

  onAck(seq, replica) {
    const stored = this.dropAcked(seq);
    this.acked = Math.max(this.acked, seq);
    this.heardAt = performance.now();
    this.stats.acked(stored, replica);
    if (this.acked >= 1 && !this.spool.length) this.onStored();
  }

  dropAcked(seq) {
    let n = 0;
    while (this.spool.length && this.spool[0].seq <= seq) {
      this.spool.shift();
      n++;
    }
    return n;
  }

  /** Makes and sends (or spools) one sequenced message; a `change` makes a tracked change first. */
  emit(kind, change = null) {
    if (kind === 'digest' && !this.ready) return;
    const seq = ++this.seq;
    const observedAt = new Date().toISOString();
    let msg;
    if (kind === 'digest') {
      msg = { version: PROTOCOL_VERSION, type: 'digest', seq, payload: { observedAt, digest: this.digest } };
    } else {
      const base = this.digest;
      if (change) {
        this.facts = change.facts;
        this.factDigests.set(change.fact, factDigests({ [change.fact]: this.facts[change.fact] }).get(change.fact));
        this.digest = digestOfDigests(this.factDigests, this.errors);
        this.expectedRows += change.rows;
      }
      msg =
        kind === 'snapshot'
          ? {
              version: PROTOCOL_VERSION,
              type: 'snapshot',
              seq,
              payload: { observedAt, digest: this.digest, facts: this.facts, errors: this.errors },
            }
          : {
              version: PROTOCOL_VERSION,
              type: 'delta',
              seq,
              payload: {
                observedAt,
                baseDigest: base,
                digest: this.digest,
                set: { [change.fact]: this.facts[change.fact] },
                unset: [],
                errors: this.errors,
              },
            };
    }
    const text = JSON.stringify(msg);
    if (kind !== 'digest') this.spool.push({ seq, text });
    if (!this.ready) return;
    this.send(text);
    if (change && this.trackLatency) this.stats.changeSent(this.hostId, change.path, performance.now(), this.replica);
  }

  /** A collection cycle: a delta with probability `changeRate`, otherwise a digest. */
  tick() {
    if (this.random() < this.changeRate) this.emit('delta', changeFacts(this.facts, this.random, this.changes++));
    else this.emit('digest');
  }

  /** A full snapshot with a change in it, as after a reinstall: what a snapshot storm costs the server. */
  snapshotWithChange() {
    this.emit('snapshot', changeFacts(this.facts, this.random, this.changes++));
  }

  startTicking() {
    const loop = () => {
      this.tick();
      this.ticking = setTimeout(loop, this.intervalMs);
    };
    this.ticking = setTimeout(loop, Math.floor(this.random() * this.intervalMs));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.ticking);
    clearTimeout(this.reconnect);
    this.ws?.terminate();
  }

  /** Nothing pending: every snapshot and delta made so far is acknowledged. */
  get settled() {
    return this.ready && this.spool.length === 0;
  }
}
