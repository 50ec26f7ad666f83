import type { FastifyPluginAsync } from 'fastify';
import { ErrorCode } from '../../errors';
import type { CredentialsRevoked } from '../../live/bus';
import type { Principal } from '../../plugins/app/auth';

/**
 * /api/v1/live: pushes live events to dashboard clients. Authenticated like the API; a
 * cookie-authenticated upgrade must come from our own origin (no cross-site WebSocket
 * hijacking). Slow clients are dropped rather than buffered without bound. A socket lives
 * no longer than its credential: revoking the key, logging out or disabling the user
 * closes it (on every replica, via the bus) with REVOKED_CLOSE.
 */
const MAX_BUFFERED = 1024 * 1024;
export const REVOKED_CLOSE = 4401;

function heldBy(p: Principal, e: CredentialsRevoked): boolean {
  if (e.kind === 'apikey') return p.kind === 'apikey' && p.id === e.id;
  if (e.kind === 'session') return p.kind === 'user' && p.sessionId === e.id;
  return p.kind === 'user' && p.id === e.id;
}

export const liveFeed: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/v1/live',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        if (!req.principal) return reply.code(401).send({ code: ErrorCode.unauthenticated, message: 'sign in first' });
        // The feed carries every host's events: a key limited to one group may not listen.
        if (req.principal.kind === 'apikey' && req.principal.group !== null) {
          return reply.code(403).send({ code: ErrorCode.forbidden, message: `this API key is scoped to group ${req.principal.group}; the live feed is fleet-wide` });
        }
        const origin = req.headers.origin;
        if (req.principal.kind === 'user' && origin && new URL(origin).host !== req.headers.host) {
          return reply.code(403).send({ code: ErrorCode.forbidden, message: 'cross-origin live connection refused' });
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
        if (event.type === 'agent.revoked') return;
        if (socket.bufferedAmount > MAX_BUFFERED) return void socket.terminate();
        socket.send(JSON.stringify(event));
      });
      socket.on('close', unsubscribe);
      socket.on('error', () => socket.terminate());
      // Clients speak only to keep the connection alive; anything else is ignored.
      socket.on('message', () => undefined);
    },
  );
};
