import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../../errors';
import type { CredentialsRevoked } from '../../../live/bus';
import { credentialDeadline } from './credential-expiry';
import { foreignOrigin } from '../../../live/origin';
import type { Principal } from '../../../plugins/app/auth';

/**
 * /api/v1/live: pushes live events to dashboard clients. Authenticated like the API; a
 * cookie-authenticated upgrade must come from our own origin (no cross-site WebSocket
 * hijacking). Slow clients are dropped rather than buffered without bound. A socket lives
 * no longer than its credential: revoking the key, logging out or disabling the user
 * closes it (on every replica, via the bus) with REVOKED_CLOSE, and so does the key or
 * session reaching its expiry (or the session its idle deadline) while the socket is open.
 */
const MAX_BUFFERED = 1024 * 1024;
export const REVOKED_CLOSE = 4401;
/** setTimeout's longest delay; a later deadline is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** When the credential cannot be read (database down), how soon to look again. */
const RECHECK_MS = 30_000;

function heldBy(p: Principal, e: CredentialsRevoked): boolean {
  if (e.kind === 'apikey') return p.kind === 'apikey' && p.id === e.id;
  if (e.kind === 'session') return p.kind === 'user' && p.sessionId === e.id;
  return p.kind === 'user' && p.id === e.id;
}

const liveFeed: FastifyPluginAsync = async (app) => {
  app.get(
    '',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        if (!req.principal) return reply.code(401).send({ code: ErrorCode.unauthenticated, message: 'sign in first' });
        if (req.principal.kind === 'user' && req.principal.mustChangePassword) {
          return reply.code(403).send({ code: ErrorCode.passwordChangeRequired, message: 'choose a new password first' });
        }
        // The feed carries every host's events: a key limited to one group may not listen.
        if (req.principal.kind === 'apikey' && req.principal.group !== null) {
          return reply.code(403).send({
            code: ErrorCode.forbidden,
            message: `this API key is scoped to group ${req.principal.group}; the live feed is fleet-wide`,
          });
        }
        // A browser always sends Origin on a WebSocket; a client without one is not a browser,
        // and an API key is never sent by a browser on its own.
        const origin = req.headers.origin;
        if (req.principal.kind === 'user' && origin !== undefined) {
          const why = foreignOrigin(origin, req.protocol, req.host);
          if (why) return reply.code(403).send({ code: ErrorCode.crossOrigin, message: `cross-origin live connection refused: ${why}` });
        }
      },
    },
    (socket, req) => {
      const principal = req.principal!;
      app.metrics.liveClients.inc();
      socket.on('close', () => app.metrics.liveClients.dec());
      const unsubscribe = app.bus.subscribe((event) => {
        if (event.type === 'credentials.revoked') {
          if (heldBy(principal, event)) socket.close(REVOKED_CLOSE, 'credentials revoked');
          return;
        }
        if (event.type === 'agent.revoked' || event.type === 'replica.load') return;
        if (socket.bufferedAmount > MAX_BUFFERED) return void socket.terminate();
        socket.send(JSON.stringify(event));
      });
      socket.on('close', unsubscribe);
      closeAtExpiry(socket, principal);
      socket.on('error', () => socket.terminate());
      // Clients speak only to keep the connection alive; anything else is ignored.
      socket.on('message', () => undefined);
    },
  );

  /** Closes the socket with REVOKED_CLOSE once its credential expires, looking it up again at each deadline. */
  function closeAtExpiry(socket: WebSocket, principal: Principal): void {
    let timer: NodeJS.Timeout | undefined;
    const check = async () => {
      timer = undefined;
      let deadline: number | null | 'ended';
      try {
        deadline = await credentialDeadline(app.db.prisma, principal);
      } catch (err) {
        app.log.warn({ err }, 'live feed: could not read the credential’s expiry; looking again shortly');
        deadline = Date.now() + RECHECK_MS;
      }
      if (socket.readyState !== socket.OPEN) return;
      if (deadline === 'ended') return socket.close(REVOKED_CLOSE, 'credentials expired');
      if (deadline !== null) timer = setTimeout(() => void check(), Math.min(Math.max(deadline - Date.now(), 0), MAX_TIMER_MS));
    };
    socket.on('close', () => clearTimeout(timer));
    void check();
  }
};

export default liveFeed;
