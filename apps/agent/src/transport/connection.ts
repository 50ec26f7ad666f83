import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '@plumbline/protocol/limits';
import type { AgentMessage } from '@plumbline/protocol/messages';
import { parseServerMessage, type ServerMessage } from '@plumbline/protocol/server-messages';
import type { Logger } from 'pino';
import { createHash, X509Certificate } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
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
  /** A frame that is not a valid server message (it is ignored). */
  onMalformed(reason: string): void;
  /** The server refused our secret (HTTP 401/403 at the upgrade): retrying will not help. */
  onRejected(err: RejectedError): void;
}

export function agentUrl(server: string): string {
  const u = new URL(server);
  u.protocol = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/$/, '')}/agent/v1/ws`;
  return u.toString();
}

export interface TlsOptions {
  /** PEM of the CA that signed the server's certificate, instead of the system's. */
  ca?: Buffer;
  /** `sha256/<base64>` of the server's public key (SPKI): anything else is refused. */
  pin?: string;
}

/** Compares the server's public key with a pin, on top of the usual certificate checks. */
export function pinCheck(pin: string) {
  return (host: string, cert: PeerCertificate): Error | undefined => {
    const usual = checkServerIdentity(host, cert);
    if (usual) return usual;
    // The pin covers the key as SubjectPublicKeyInfo, as `openssl pkey -pubout -outform der` writes it.
    const spki = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
    const got = `sha256/${createHash('sha256').update(spki).digest('base64')}`;
    return got === pin ? undefined : new Error(`server key ${got} does not match the pinned ${pin}`);
  };
}

/** The whole opening handshake (TCP, TLS, upgrade) must end within this. */
export const UPGRADE_DEADLINE_MS = 20_000;

/**
 * One WebSocket to the server, authenticated with a bearer secret at the upgrade. The secret
 * must be header-safe (the caller checks it); ws's own handshake timeout is an idle timeout
 * reset by every byte, so a reply trickled a byte at a time is cut by a deadline of our own.
 */
export function connect(
  server: string,
  secret: string,
  log: Logger,
  h: ConnectionHandlers,
  tls: TlsOptions = {},
  upgradeMs = UPGRADE_DEADLINE_MS,
): WebSocket {
  const ws = new WebSocket(agentUrl(server), {
    headers: { Authorization: `Bearer ${secret}` },
    maxPayload: MAX_FRAME_BYTES,
    handshakeTimeout: upgradeMs,
    perMessageDeflate: false,
    ...(tls.ca && { ca: tls.ca }),
    ...(tls.pin && { checkServerIdentity: pinCheck(tls.pin) }),
  });
  // Exactly one of onClose and onRejected per socket: a refused upgrade also ends in a
  // 'close' event, which must not schedule a second reconnect next to the first.
  let ended = false;
  const end = (report: () => void) => {
    if (ended) return;
    ended = true;
    report();
  };
  const upgradeTimer = setTimeout(() => {
    end(() => h.onClose(1006, `no WebSocket upgrade within ${upgradeMs} ms`));
    ws.terminate();
  }, upgradeMs);
  ws.on('unexpected-response', (_req, res) => {
    clearTimeout(upgradeTimer);
    const status = res.statusCode ?? 0;
    const chunks: Buffer[] = [];
    let size = 0;
    const answered = () => {
      clearTimeout(slow);
      let message = `server answered HTTP ${status}`;
      try {
        message = (JSON.parse(Buffer.concat(chunks).toString()) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the status line
      }
      end(() => (status === 401 || status === 403 ? h.onRejected(new RejectedError(status, message)) : h.onClose(1006, message)));
      ws.terminate();
    };
    // The server's reason is worth reading, but not worth waiting long for.
    const slow = setTimeout(answered, 5000);
    res.on('data', (c: Buffer) => {
      if (size < 4096) chunks.push(c);
      size += c.length;
    });
    res.on('end', answered);
    res.on('close', answered);
  });
  ws.on('open', () => {
    clearTimeout(upgradeTimer);
    if (!ended) h.onOpen();
  });
  ws.on('message', (data: Buffer) => {
    if (ended) return;
    const parsed = parseServerMessage(data);
    if (parsed.success) h.onMessage(parsed.data);
    else h.onMalformed(parsed.error);
  });
  ws.on('close', (code, reason) => {
    clearTimeout(upgradeTimer);
    end(() => h.onClose(code, reason.toString()));
  });
  ws.on('error', (err) => log.warn({ err: err.message }, 'connection error'));
  return ws;
}

export function send(ws: WebSocket | null, msg: AgentMessage): boolean {
  if (!ws || ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(msg));
  return true;
}

export { PROTOCOL_VERSION };
