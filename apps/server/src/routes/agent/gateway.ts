import { randomUUID } from 'node:crypto';
import { CloseCode, PROTOCOL_VERSION, type ProtocolVersion } from '@plumbline/protocol/limits';
import { parseAgentMessage, type AgentMessage, type ServerMessage } from '@plumbline/protocol/messages';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, ErrorCode } from '../../errors';
import { authenticateAgent, bearerOf, type AgentAuth } from '../../enrollment/agent-auth';
import { NO_SKEW, recheckSkew, type AgentClock } from '../../hosts/clock';
import { agentCapacity, ingestConcurrency, RateLimit, Semaphore } from '../../ingest/limits';
import { keepAlive } from './heartbeat';
import { AgentBalance } from './rebalance';

declare module 'fastify' {
  interface FastifyRequest {
    agentAuth?: AgentAuth;
  }
  interface FastifyInstance {
    /** The agent sockets this process holds and the work in hand for them (decorated on the root by buildApp). */
    agents: AgentRegistry;
  }
}

/** How long shutdown waits for the messages in hand before marking their hosts offline anyway. */
const SETTLE_MS = 10_000;

/** The agent sockets this process holds, by host id, and the messages being handled for them. */
export class AgentRegistry {
  readonly sockets = new Map<string, WebSocket>();
  /** Each socket's connection id, stored on its host at hello (see Host.connectionId). */
  readonly connectionIds = new WeakMap<WebSocket, string>();
  /** Set at shutdown: a message not yet started is left unacknowledged, and its agent sends it again. */
  closing = false;
  /** Sockets with messages received and not yet handled. */
  readonly busy = new WeakSet<WebSocket>();
  /** Evens out agents across replicas (set by the gateway). */
  balance: AgentBalance | null = null;
  private readonly inHand = new Set<Promise<unknown>>();

  /** Runs a message's handling, unless shutdown has begun, so that shutdown can wait for it. */
  handle(work: () => Promise<void>): Promise<void> {
    if (this.closing) return Promise.resolve();
    const p = work();
    this.inHand.add(p);
    const done = () => void this.inHand.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves once every message in hand is handled, or after `ms`. */
  async settled(ms = SETTLE_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([Promise.allSettled([...this.inHand]), timeout]);
    clearTimeout(timer);
  }
}

/** Per agent: 5 messages a second on average, bursts of 50 (a spool replay after an outage). */
const AGENT_RATE = { perSecond: 5, burst: 50 };

/** Standard close code: the server is overloaded, try again later (the agent backs off patiently). */
const TRY_AGAIN_LATER = 1013;
/** How often a refusal at capacity is logged (with the count since the last line), not once per agent. */
const CAPACITY_LOG_MS = 10_000;

/** The close reason travels in the close frame, which allows 123 bytes. */
const reasonOf = (text: string) =>
  Buffer.from(text)
    .subarray(0, 123)
    .toString('utf8')
    .replace(/\uFFFD$/, '');

/**
 * The agent gateway: one WebSocket per agent at /agent/v1/ws. The bearer secret (an
 * enrollment token or the agent's own credential) is checked before the upgrade, so a bad
 * one gets a plain 401 and no socket. After that: hello first, then sequenced messages,
 * handled one at a time (the socket is paused meanwhile, so a fast agent cannot queue
 * unbounded work).
 */
export const agentGateway: FastifyPluginAsync = async (app) => {
  const connections = app.agents.sockets;
  // Enough messages in hand to fill the ingest's batches (see ingestConcurrency); the others
  // wait as bytes, parsed only when their turn comes.
  const ingestSlots = new Semaphore(ingestConcurrency(app.db.kind, app.config.dbPoolSize));
  // Agent sockets open in this process, said hello or not, and upgrades being authenticated
  // (in a reconnect storm thousands wait on the database, each holding a descriptor); beyond
  // `capacity` an agent is refused (503 before the upgrade, or 1013 when upgrades raced past
  // the check).
  const capacity = agentCapacity(app.config.maxAgents);
  const atCapacity = `this server holds its limit of ${capacity} agent connections; try again later`;
  let open = 0;
  const upgrading = new Set<FastifyRequest['raw']>();
  app.log.info({ maxAgents: capacity }, capacity === null ? 'agent connections not limited' : `agent connections limited to ${capacity}`);
  const balance = new AgentBalance({
    intervalMs: app.config.agentRebalanceMs,
    capacity,
    bus: app.bus,
    log: app.log,
    sockets: connections,
    busy: (socket) => app.agents.busy.has(socket),
    ended: (ended) => app.ingest.disconnected(ended),
    onMove: () => app.metrics.agentsMoved.inc(),
  });
  app.agents.balance = balance;
  balance.start();
  let refusedSince = 0;
  let refusedLoggedAt = 0;
  const refusedAtCapacity = () => {
    refusedSince++;
    app.metrics.agentsRefused.inc();
    if (Date.now() - refusedLoggedAt < CAPACITY_LOG_MS) return;
    app.log.warn({ maxAgents: capacity, refused: refusedSince }, 'agent connections refused: this process holds its limit');
    refusedLoggedAt = Date.now();
    refusedSince = 0;
  };

  app.get(
    '/agent/v1/ws',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        // Before the credential's lookup: a server at capacity spends nothing on the agent.
        if (capacity !== null && open + upgrading.size >= capacity) {
          refusedAtCapacity();
          return reply.code(503).header('retry-after', '30').send({
            code: ErrorCode.agentCapacity,
            message: atCapacity,
          });
        }
        const raw = req.raw;
        upgrading.add(raw);
        raw.socket.once('close', () => upgrading.delete(raw));
        const bearer = bearerOf(req.headers.authorization);
        let auth: AgentAuth | null = null;
        try {
          auth = bearer ? await authenticateAgent(app.db.prisma, bearer) : null;
        } finally {
          if (!auth) upgrading.delete(raw);
        }
        if (!auth) {
          return reply
            .code(401)
            .send({ code: ErrorCode.unauthenticated, message: 'a valid agent credential or enrollment token is required' });
        }
        req.agentAuth = auth;
      },
    },
    (socket, req) => handleAgent(socket, req),
  );

  function handleAgent(socket: WebSocket, req: FastifyRequest): void {
    upgrading.delete(req.raw);
    open++;
    socket.once('close', () => open--);
    if (capacity !== null && open > capacity) {
      refusedAtCapacity();
      return socket.close(TRY_AGAIN_LATER, atCapacity);
    }
    const auth = req.agentAuth!;
    const log = req.log.child({ agent: auth.kind === 'credential' ? auth.hostId : 'enrolling' });
    // Its end marks the host offline only while no newer connection has said hello, here or on another replica.
    const connection = randomUUID();
    app.agents.connectionIds.set(socket, connection);
    let hostId: string | null = null;
    let clock: AgentClock = NO_SKEW;
    // Each answer is in the version of the message it answers: agents of the previous
    // release parse only their own.
    let version: ProtocolVersion = PROTOCOL_VERSION;
    let queue = Promise.resolve();
    // Messages received and not yet handled: the socket stays paused while there are any.
    let held = 0;
    const rate = new RateLimit(AGENT_RATE.perSecond, AGENT_RATE.burst);

    const send = (msg: ServerMessage) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(msg));
    const fail = (code: number, reason: string) => {
      log.warn({ code, reason }, 'agent connection closed by the server');
      socket.close(code, reasonOf(reason));
    };

    const stopHeartbeat = keepAlive(socket, () => held > 0);

    socket.on('message', (data) => {
      if (!rate.take()) return fail(CloseCode.rateLimited, 'too many messages; reconnect later');
      socket.pause();
      held++;
      app.agents.busy.add(socket);
      // Queued as the frame's bytes and parsed once its turn comes: after a server restart
      // thousands of agents send a full snapshot at once, and parsed facts take ten times
      // the memory of the frame.
      const frame = data as Buffer;
      app.metrics.ingestQueue.inc();
      queue = queue
        .then(() =>
          ingestSlots.run(() =>
            app.agents.handle(async () => {
              const parsed = parseAgentMessage(frame);
              if (!parsed.success) return fail(CloseCode.malformed, `malformed message: ${parsed.error}`);
              const msg = parsed.data;
              version = msg.version;
              app.metrics.agentMessages.inc({ type: msg.type });
              const stop = app.metrics.ingestSeconds.startTimer({ type: msg.type });
              await dispatch(msg);
              stop();
            }),
          ),
        )
        .catch((err: unknown) => {
          log.error({ err }, 'agent message failed');
          if (err instanceof AppError && err.code === ErrorCode.agentEnrollment) {
            send({ version, type: 'error', payload: { code: err.code, message: err.message, fatal: true } });
            return fail(CloseCode.revoked, err.message);
          }
          // Not acknowledged: the agent keeps the message in its spool and sends it again.
          fail(1011, 'internal error; retry later');
        })
        .finally(() => {
          if (--held === 0) app.agents.busy.delete(socket);
          app.metrics.ingestQueue.dec();
          // Resume even when closing: the peer's close frame must still be read.
          if (socket.readyState !== socket.CLOSED) socket.resume();
        });
    });

    async function dispatch(msg: AgentMessage): Promise<void> {
      if (msg.type === 'hello') {
        if (hostId) return fail(CloseCode.protocol, 'hello sent twice');
        if (msg.payload.spoolDropped)
          log.warn({ spoolDropped: msg.payload.spoolDropped }, 'agent spool overflowed while offline; some history is coarser');
        const result = await app.ingest.hello(auth, msg.payload, connection);
        hostId = result.hostId;
        clock = result.clock;
        connections.get(hostId)?.close(CloseCode.protocol, 'replaced by a newer connection of the same agent');
        connections.set(hostId, socket);
        app.metrics.agentsConnected.set(connections.size);
        send({
          version,
          type: 'welcome',
          payload: {
            hostId,
            ...(result.credential && { credential: result.credential }),
            lastSeq: result.lastSeq,
            digest: result.digest,
            serverTime: new Date().toISOString(),
          },
        });
        return;
      }
      if (!hostId) return fail(CloseCode.protocol, 'hello expected first');
      const now = new Date();
      const jumped = recheckSkew(clock, new Date(msg.payload.observedAt), now);
      if (jumped) {
        clock = jumped;
        app.ingest.warnSkew(hostId, clock);
      }
      const result = await app.ingest.handle(hostId, msg, now, clock);
      if (result.type === 'ack') send({ version, type: 'ack', seq: result.seq });
      else send({ version, type: 'resync', payload: { reason: result.reason } });
    }

    socket.on('close', () => {
      stopHeartbeat();
      if (hostId && connections.get(hostId) === socket) {
        const id = hostId;
        connections.delete(id);
        app.metrics.agentsConnected.set(connections.size);
        // After the messages already queued, which would mark the host connected again;
        // unless the agent is back on a newer socket meanwhile. An agent asked to move is
        // given time to say hello on another replica first (see AgentBalance).
        void queue.then(() => {
          if (connections.has(id)) return;
          if (balance.wasMoved(socket)) return balance.endLater({ hostId: id, connection });
          return app.ingest.disconnected([{ hostId: id, connection }]);
        });
      }
    });
    socket.on('error', (err) => log.warn({ err }, 'agent socket error'));
  }

  // Revocation reaches every replica through the live bus; the one holding the socket closes it.
  const unsubscribe = app.bus.subscribe((event) => {
    if (event.type === 'agent.revoked') connections.get(event.hostId)?.close(CloseCode.revoked, 'credential revoked');
  });

  // At shutdown the sockets are closed with every other one by app.ts, after
  // releaseAgentHosts has marked their hosts offline.
  app.addHook('onClose', async () => unsubscribe());
};

/**
 * At shutdown, before any socket closes: no further message is started, the ones in hand
 * finish (a digest stored after its host went offline would mark it connected again), then
 * every host this process holds goes offline in a few statements rather than one per
 * closing socket (ten thousand queued updates and notifications were the server's memory
 * peak), and before the close, so that an agent quick to reconnect to another replica is
 * not marked offline after its hello there. A socket closed after this finds itself no
 * longer registered and writes nothing.
 */
export async function releaseAgentHosts(app: FastifyInstance): Promise<void> {
  const agents = app.agents;
  agents.closing = true;
  await agents.balance?.stop();
  await agents.settled();
  const ended = [...agents.sockets].map(([hostId, socket]) => ({ hostId, connection: agents.connectionIds.get(socket)! }));
  agents.sockets.clear();
  app.metrics.agentsConnected.set(0);
  await app.ingest.disconnected(ended);
}
