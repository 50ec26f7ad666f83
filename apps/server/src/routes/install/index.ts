import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../../errors';
import { renderInstallScript, type AgentFile } from './install-script';

export interface InstallRoutesOptions {
  /** Where `pnpm build:agent` put the packages (default: $PLUMBLINE_AGENT_DIST_DIR, else dist/agent at the repo root). */
  dir?: string;
  /** The URL agents reach this server at (default: $PLUMBLINE_PUBLIC_URL, else the request's own, proxy headers included where trusted). */
  publicUrl?: string;
}

/** The repository root is the directory with pnpm-workspace.yaml above this module (src/ or dist/). */
function defaultDistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return path.join(dir, 'dist/agent');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist/agent');
    dir = parent;
  }
}

/** A URL that can go into the script as is: http(s), host[:port], an optional plain path. */
const PUBLIC_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~-]*$/;

interface Manifest {
  version: string;
  files: AgentFile[];
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Partial<Manifest>;
    const files = (Array.isArray(m.files) ? m.files : []).filter(
      (f): f is AgentFile => !!f && FILE_NAME.test(String(f.file)) && /^[a-z0-9_]+$/.test(String(f.arch)) && ['deb', 'rpm', 'tar'].includes(String(f.kind)),
    );
    return { version: typeof m.version === 'string' && FILE_NAME.test(m.version) ? m.version : 'unknown', files };
  } catch {
    return null;
  }
}

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
  const dir = opts.dir ?? process.env.PLUMBLINE_AGENT_DIST_DIR ?? defaultDistDir();
  const configured = (opts.publicUrl ?? process.env.PLUMBLINE_PUBLIC_URL)?.replace(/\/+$/, '');
  if (configured !== undefined && !PUBLIC_URL.test(configured)) {
    throw new Error(`PLUMBLINE_PUBLIC_URL: '${configured}' is not an http(s) URL of the form https://host[:port][/path]`);
  }

  /** The server as the agent host will reach it; request.protocol and .host honour trustProxy. */
  const publicUrl = (req: FastifyRequest) => configured ?? `${req.protocol}://${req.host}`;

  app.get('/install.sh', { schema: { hide: true } }, async (req, reply) => {
    const server = publicUrl(req);
    // The URL is written into a shell script: anything but a plain URL is refused, never quoted.
    if (!PUBLIC_URL.test(server)) {
      return reply.code(400).send({ code: ErrorCode.badRequest, message: 'the Host header is not a plain host name; set PLUMBLINE_PUBLIC_URL' });
    }
    const manifest = await readManifest(dir);
    return reply
      .type('text/x-shellscript; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderInstallScript({ server, version: manifest?.version ?? 'unknown', files: manifest?.files ?? [] }));
  });

  app.get<{ Params: { file: string } }>('/downloads/agent/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params;
    // One plain name in the directory: no separators, no dot-dot, no hidden files.
    if (!FILE_NAME.test(file)) return notFound(reply, 'no such agent download');
    const full = path.join(dir, file);
    const s = await stat(full).catch(() => null);
    if (!s?.isFile()) {
      const built = await stat(dir).catch(() => null);
      return notFound(reply, built ? `no agent download named ${file}` : 'the agent packages are not built on this server (pnpm build:agent)');
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
