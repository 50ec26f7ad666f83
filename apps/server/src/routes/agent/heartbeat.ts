import type { WebSocket } from 'ws';

/** How often an agent socket is pinged; one that has not answered the last ping by then is ended. */
export const HEARTBEAT_MS = 30_000;

/**
 * Ends an agent socket that stops answering pings (a host gone without a FIN, a dead NAT
 * entry), so that its host goes offline. A socket the server itself has paused, because a
 * message of it is waiting behind the ingest backlog, cannot read the pong: its silence is the
 * server's, not the agent's, and it is not counted. Ending it would send the agent to the back
 * of the queue with the same message, which is how a restart storm feeds itself.
 * Returns a function that stops the heartbeat.
 */
export function keepAlive(socket: Pick<WebSocket, 'ping' | 'terminate' | 'on'>, paused: () => boolean, ms = HEARTBEAT_MS): () => void {
  let alive = true;
  socket.on('pong', () => (alive = true));
  const timer = setInterval(() => {
    if (paused()) {
      alive = true;
      return;
    }
    if (!alive) return void socket.terminate();
    alive = false;
    socket.ping();
  }, ms);
  return () => clearInterval(timer);
}
