import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { loadConfig } from '../config';
import { CliError, ExitCode } from './printer';

/**
 * The running server's HTTP API, for CLI commands whose database that server holds (the
 * embedded database admits one process). Authenticated with an admin API key from
 * PLUMBLINE_API_KEY, which is sent only in the Authorization header and never printed.
 */
export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /**
   * `body` goes as JSON, or as it is when it is bytes (a file upload). A response with a 2xx status; any other becomes one line with the server's error code,
   * unless `onError` turns the error's JSON body into an error of the command's own (it may
   * return to fall through to the line).
   */
  async request(method: string, path: string, body?: unknown, onError?: (status: number, body: unknown) => void): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.key}`,
          ...(body !== undefined && { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' }),
        },
        body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `no Plumbline server answers at ${this.baseUrl} (${cause?.code ?? cause?.message ?? String(err)}); set PLUMBLINE_SERVER_URL to the server that holds the database`,
        ExitCode.runtime,
      );
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let code = `HTTP ${res.status}`;
    let message = text.slice(0, 200);
    const j = jsonOrNull(text);
    if (j) {
      onError?.(res.status, j);
      if (typeof j.code === 'string') code = j.code;
      if (typeof j.message === 'string') message = j.message;
    }
    const hint =
      res.status === 401
        ? ` (the server at ${this.baseUrl} refused PLUMBLINE_API_KEY: give an admin API key from the dashboard's Settings)`
        : res.status === 403
          ? ` (PLUMBLINE_API_KEY is not allowed this: give an admin API key)`
          : '';
    throw new CliError(`${code}: ${message}${hint}`, res.status >= 500 ? ExitCode.runtime : ExitCode.usage);
  }

  async json<T>(method: string, path: string, body?: unknown, onError?: (status: number, body: unknown) => void): Promise<T> {
    const res = await this.request(method, path, body, onError);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /** The body as a Node stream, with the response headers. */
  async download(path: string): Promise<{ headers: Headers; body: Readable }> {
    const res = await this.request('GET', path);
    if (!res.body) throw new CliError(`the server at ${this.baseUrl} sent no body for ${path}`, ExitCode.runtime);
    return { headers: res.headers, body: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) };
  }
}

/** An error body as JSON; null when it is not (then the status and the start of the body are the line). */
function jsonOrNull(text: string): { code?: unknown; message?: unknown } | null {
  try {
    const j: unknown = JSON.parse(text);
    return j && typeof j === 'object' ? j : null;
  } catch {
    return null;
  }
}

/** PLUMBLINE_SERVER_URL, or the address the server on this machine listens on by the same settings. */
export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PLUMBLINE_SERVER_URL) return env.PLUMBLINE_SERVER_URL.replace(/\/*$/, '/');
  const { host, port } = loadConfig(env);
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}/`;
}

/**
 * The client for `command`, run while the server holds the embedded database in `dataDir`;
 * without a key, one line saying how to give one (exit 2).
 */
export function serverClient(command: string, dataDir: string, env: NodeJS.ProcessEnv = process.env): ServerClient {
  const key = env.PLUMBLINE_API_KEY?.trim();
  if (!key)
    throw new CliError(
      `${command}: the running server holds the embedded database in ${dataDir}; set PLUMBLINE_API_KEY to an admin API key (the dashboard's Settings) to do this through it, or stop the server`,
    );
  return new ServerClient(serverUrl(env), key);
}
