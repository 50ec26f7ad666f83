import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { agentUrl, connect, type TlsOptions } from './connection';

// A real TLS server with a self-signed certificate for 127.0.0.1, made with openssl.
const dir = mkdtempSync(path.join(tmpdir(), 'plumbline-tls-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    path.join(dir, 'key.pem'),
    '-out',
    path.join(dir, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);
const cert = readFileSync(path.join(dir, 'cert.pem'));
const server = createServer({ cert, key: readFileSync(path.join(dir, 'key.pem')) });
const wss = new WebSocketServer({ server });
wss.on('connection', (ws) => ws.close(1000, 'hello'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
const pin = `sha256/${createHash('sha256').update(spki).digest('base64')}`;

afterAll(() => {
  wss.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the close code, or the error that stopped the handshake. */
function attempt(tls: TlsOptions): Promise<string> {
  return new Promise((resolve) => {
    const ws = connect(
      url,
      'pla_x',
      pino({ level: 'silent' }),
      {
        onOpen: () => undefined,
        onMessage: () => undefined,
        onMalformed: () => undefined,
        onClose: (code) => resolve(`closed ${code}`),
        onRejected: (e) => resolve(`rejected ${e.status}`),
      },
      tls,
    );
    ws.on('error', (err) => resolve(`error ${err.message}`));
  });
}

describe('agent TLS', () => {
  it('maps the server URL to the agent endpoint', () => {
    expect(agentUrl('https://plumbline.example.com/')).toBe('wss://plumbline.example.com/agent/v1/ws');
    expect(agentUrl('http://10.0.0.1:8470')).toBe('ws://10.0.0.1:8470/agent/v1/ws');
  });

  it('refuses a server its CA does not vouch for', async () => {
    expect(await attempt({})).toMatch(/^error .*self[- ]signed/i);
  });

  it('connects with the server CA given, and with a matching pin', async () => {
    expect(await attempt({ ca: cert })).toBe('closed 1000');
    expect(await attempt({ ca: cert, pin })).toBe('closed 1000');
  });

  it('refuses a server whose key does not match the pin', async () => {
    expect(await attempt({ ca: cert, pin: 'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).toMatch(/does not match the pinned/);
  });
});

describe('a refused upgrade', () => {
  /** Every callback the connection makes against a plain HTTP server answering `status`. */
  async function callbacks(status: number): Promise<string[]> {
    const http = createHttpServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'refused', message: `no entry (${status})` }));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const seen: string[] = [];
    connect(`http://127.0.0.1:${(http.address() as { port: number }).port}`, 'pla_x', pino({ level: 'silent' }), {
      onOpen: () => seen.push('open'),
      onMessage: () => undefined,
      onMalformed: () => undefined,
      onClose: (code, reason) => seen.push(`closed ${code}: ${reason}`),
      onRejected: (e) => seen.push(`rejected ${e.status}: ${e.message}`),
    });
    // The socket is gone within a few event-loop turns; anything later would be a second report.
    await new Promise((r) => setTimeout(r, 300));
    await new Promise<void>((r) => http.close(() => r()));
    return seen;
  }

  it('reports a server that is not ready once, with its reason, as a close', async () => {
    expect(await callbacks(503)).toEqual(['closed 1006: no entry (503)']);
  });

  it('reports a refused secret once, with its reason, and never as a close', async () => {
    expect(await callbacks(401)).toEqual(['rejected 401: no entry (401)']);
    expect(await callbacks(403)).toEqual(['rejected 403: no entry (403)']);
  });
});
