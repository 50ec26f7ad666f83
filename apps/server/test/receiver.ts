import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A real HTTP receiver on a free local port, recording every request. `answer` picks the
 * status per request (1-based count); `hang` never answers, to exercise the timeout.
 */
export async function receiver(
  opts: { answer?: (n: number) => number; hang?: boolean } = {},
): Promise<{ url: string; received: Received[]; hits: () => number }> {
  const received: Received[] = [];
  let hits = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits++;
      if (opts.hang) return;
      const status = opts.answer?.(hits) ?? 200;
      if (status < 300) received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/s3cr3t-path`, received, hits: () => hits };
}
