// What a dashboard does while the fleet runs: one live-feed client, and the fleet API
// polled one request at a time (a user paging through hosts), timed from the client.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** A live-feed client (/api/v1/live with an API key); every event goes to `onEvent(event, receivedAt)`. */
export function liveClient(WebSocket, baseUrl, apiKey, onEvent) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/live`, {
    headers: { Authorization: `Bearer ${apiKey}` },
    perMessageDeflate: false,
  });
  ws.on('message', (data) => onEvent(JSON.parse(data.toString()), performance.now()));
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`live feed refused: HTTP ${res.statusCode}`)));
  });
}

/** GET `path` with the key; resolves with { status, ms }. */
export async function timedGet(baseUrl, apiKey, path) {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

/** Whether the server has an endpoint yet (the simulator measures what exists). */
export async function hasEndpoint(baseUrl, apiKey, path) {
  const { status } = await timedGet(baseUrl, apiKey, path).catch(() => ({ status: 0 }));
  return status !== 404 && status !== 0;
}

/**
 * Polls `paths()` one request at a time until `until()` says stop or `max` requests were
 * made, pausing `pauseMs` between requests; returns the times of successful requests. With
 * several base URLs (one per server replica) the requests take turns among them, as behind a
 * load balancer, and `byReplica` holds each one's times and failures.
 */
export async function pollApi(baseUrls, apiKey, paths, { until, max = 2000, pauseMs = 50 }) {
  const bases = [baseUrls].flat();
  const byReplica = bases.map(() => ({ times: [], failed: 0 }));
  for (let i = 0; i < max && !until(); i++) {
    const mine = byReplica[i % bases.length];
    const r = await timedGet(bases[i % bases.length], apiKey, paths()).catch(() => ({ status: 0, ms: 0 }));
    if (r.status === 200) mine.times.push(r.ms);
    else mine.failed++;
    await sleep(pauseMs);
  }
  return { times: byReplica.flatMap((b) => b.times), failed: byReplica.reduce((n, b) => n + b.failed, 0), byReplica };
}
