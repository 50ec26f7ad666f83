import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode } from '../../errors';
import { signPackageList, type SigningKey } from '../../signing/key';
import { agentDistDir, agentPackages, FILE_NAME, readManifest } from '../../install/agent-packages';
import { renderInstallScript, renderNotReadyScript } from './install-script';

export interface InstallRoutesOptions {
  /** Where `pnpm build:agent` put the packages (default: $PLUMBLINE_AGENT_DIST_DIR, else dist/agent at the repo root). */
  dir?: string;
  /**
   * The URL agents reach this server at (default: $PLUMBLINE_PUBLIC_URL, else the address the
   * server listens on; never a Host or X-Forwarded-Host header, which the client chooses).
   */
  publicUrl?: string;
  /** The server's Ed25519 key, which signs SHA256SUMS for the installer. */
  signingKey?: () => Promise<SigningKey>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '::0']);

/** The listener's own address, or for a wildcard listener the local address this request reached. */
function listenerUrl(app: FastifyInstance, req: FastifyRequest): string | null {
  const bound = app.server.address();
  if (!bound || typeof bound === 'string') return null;
  let host = bound.address;
  let port = bound.port;
  if (WILDCARD.has(host)) {
    // The interface the client connected to: chosen by the server's routing, not by the client's headers.
    if (!req.socket.localAddress || !req.socket.localPort) return null;
    host = req.socket.localAddress.replace(/^::ffff:(?=\d+\.)/, '');
    port = req.socket.localPort;
  }
  const scheme = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A URL that can go into the script as is: http(s), host[:port], an optional plain path. */
const PUBLIC_URL =
  /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;
function notFound(reply: FastifyReply, message: string) {
  return reply.code(404).send({ code: ErrorCode.notFound, message });
}

const CONTENT_TYPES: Record<string, string> = {
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm',
  '.gz': 'application/gzip',
  '.json': 'application/json',
};

/**
 * GET /install.sh and GET /downloads/agent/:file. Register with `app.register(installRoutes)`.
 * Nothing is read at registration: packages built after the server started are served.
 */
export const installRoutes: FastifyPluginAsync<InstallRoutesOptions> = async (app, opts) => {
  const dir = opts.dir ?? agentDistDir();
  const configured = (opts.publicUrl ?? process.env.PLUMBLINE_PUBLIC_URL)?.replace(/\/+$/, '');
  if (configured !== undefined && !PUBLIC_URL.test(configured)) {
    throw new Error(`PLUMBLINE_PUBLIC_URL: '${configured}' is not an http(s) URL of the form https://host[:port][/path]`);
  }

  let warned = false;
  app.get('/install.sh', { schema: { hide: true } }, async (req, reply) => {
    const server = configured ?? listenerUrl(app, req);
    if (!configured && server && !warned) {
      warned = true;
      req.log.warn({ server }, 'PLUMBLINE_PUBLIC_URL is not set: install.sh names the address this server listens on');
    }
    // The URL is written into a shell script: anything but a plain URL is refused, never quoted.
    if (!server || !PUBLIC_URL.test(server)) {
      return reply
        .code(503)
        .send({ code: ErrorCode.config, message: 'this server does not know the URL agents reach it at: set PLUMBLINE_PUBLIC_URL' });
    }
    const manifest = await readManifest(dir);
    // Not ready yet (being built, or never built): a script that says so and stops, rather than one that fails half-way.
    const script = manifest
      ? renderInstallScript({ server, version: manifest.version, files: manifest.files })
      : renderNotReadyScript({ server, reason: (await agentPackages(dir)).message });
    return reply.type('text/x-shellscript; charset=utf-8').header('cache-control', 'no-store').send(script);
  });

  const noKey = (reply: FastifyReply) =>
    reply.code(503).send({ code: ErrorCode.notReady, message: 'this server has no signing key for agent packages' });
  app.get('/downloads/agent/signing-key.pem', { schema: { hide: true } }, async (_req, reply) => {
    if (!opts.signingKey) return noKey(reply);
    return reply
      .type('application/x-pem-file')
      .header('cache-control', 'no-cache')
      .send((await opts.signingKey()).publicKeyPem);
  });
  // Signed when asked, so packages rebuilt while the server runs are signed as they are now.
  app.get('/downloads/agent/SHA256SUMS.sig', { schema: { hide: true } }, async (_req, reply) => {
    if (!opts.signingKey) return noKey(reply);
    const sums = await readFile(path.join(dir, 'SHA256SUMS')).catch(() => null);
    if (!sums) return notFound(reply, (await agentPackages(dir)).message);
    const sig = signPackageList(await opts.signingKey(), sums);
    return reply
      .type('application/octet-stream')
      .header('cache-control', 'no-cache')
      .header('content-disposition', 'attachment; filename="SHA256SUMS.sig"')
      .send(sig);
  });

  app.get<{ Params: { file: string } }>('/downloads/agent/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params;
    // One plain name in the directory: no separators, no dot-dot, no hidden files.
    if (!FILE_NAME.test(file)) return notFound(reply, 'no such agent download');
    const full = path.join(dir, file);
    const s = await stat(full).catch(() => null);
    if (!s?.isFile()) {
      const built = await stat(dir).catch(() => null);
      return notFound(reply, built ? `no agent download named ${file}` : (await agentPackages(dir)).message);
    }
    const type = file === 'SHA256SUMS' ? 'text/plain; charset=utf-8' : (CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
    return reply
      .type(type)
      .header('content-length', s.size)
      .header('cache-control', 'no-cache')
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(createReadStream(full));
  });
};
