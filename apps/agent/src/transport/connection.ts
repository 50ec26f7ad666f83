import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '@plumbline/protocol/limits';
import { parseServerMessage, type AgentMessage, type ServerMessage } from '@plumbline/protocol/messages';
import type { Logger } from 'pino';
import WebSocket from 'ws';

export class RejectedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectionHandlers {
  onOpen(): void;
  onMessage(msg: ServerMessage): void;
  onClose(code: number, reason: string): void;
  /** The server refused our secret (HTTP 401/403 at the upgrade): retrying will not help. */
  onRejected(err: RejectedError): void;
}

export function agentUrl(server: string): string {
  const u = new URL(server);
  u.protocol = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/$/, '')}/agent/v1/ws`;
  return u.toString();
}

/** One WebSocket to the server, authenticated with a bearer secret at the upgrade. */
export function connect(server: string, secret: string, log: Logger, h: ConnectionHandlers): WebSocket {
  const ws = new WebSocket(agentUrl(server), {
    headers: { Authorization: `Bearer ${secret}` },
    maxPayload: MAX_FRAME_BYTES,
    handshakeTimeout: 15_000,
    perMessageDeflate: false,
  });
  ws.on('unexpected-response', (_req, res) => {
    const status = res.statusCode ?? 0;
    let body = '';
    res.on('data', (c: Buffer) => (body += c.toString()));
    res.on('end', () => {
      let message = `server answered HTTP ${status}`;
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the status line
      }
      if (status === 401 || status === 403) h.onRejected(new RejectedError(status, message));
      else h.onClose(1006, message);
    });
    ws.terminate();
  });
  ws.on('open', h.onOpen);
  ws.on('message', (data: Buffer) => {
    const parsed = parseServerMessage(data);
    if (parsed.success) h.onMessage(parsed.data);
    else log.warn({ reason: parsed.error }, 'ignoring a malformed server message');
  });
  ws.on('close', (code, reason) => h.onClose(code, reason.toString()));
  ws.on('error', (err) => log.debug({ err: err.message }, 'connection error'));
  return ws;
}

export function send(ws: WebSocket | null, msg: AgentMessage): boolean {
  if (!ws || ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(msg));
  return true;
}

export { PROTOCOL_VERSION };
