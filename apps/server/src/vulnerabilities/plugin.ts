import fp from 'fastify-plugin';
import { MATCH_FACTS, VulnerabilityService } from './service';

declare module 'fastify' {
  interface FastifyInstance {
    vulnerabilities: VulnerabilityService;
  }
}

/** `PLUMBLINE_VULNDB_URLS` (comma-separated feed URLs; fetching is off without it), `PLUMBLINE_VULNDB_FETCH_HOURS` (default 6). */
export function feedSchedule(env: NodeJS.ProcessEnv = process.env): { urls: string[]; everyMs: number } {
  const urls = (env.PLUMBLINE_VULNDB_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const hours = Number(env.PLUMBLINE_VULNDB_FETCH_HOURS ?? 6);
  return { urls, everyMs: (Number.isFinite(hours) && hours > 0 ? hours : 6) * 3_600_000 };
}

const CHECK_MS = 15_000;

/**
 * The vulnerability domain in the server: matches a host in the background after each stored
 * change to its packages, OS, listeners or services; notices feeds imported by any process
 * (`plumbline vulndb import`, another replica) and re-matches every host; fetches the configured
 * feed URLs on a schedule when online. Its routes are routes/api/vulnerabilities/ and
 * routes/api/hosts/vulnerabilities.ts.
 */
export default fp(
  async (app) => {
    const service = new VulnerabilityService(app.db.prisma, app.log);
    app.decorate('vulnerabilities', service);
    app.ingest.afterStore = (hostId, changed) => {
      if (changed === 'all' || [...changed].some((f) => MATCH_FACTS.has(f))) service.schedule(hostId);
    };
    const timers: NodeJS.Timeout[] = [];
    const check = () => service.refresh().catch((err: unknown) => app.log.warn({ err }, 'vulnerability data could not be reloaded'));
    app.addHook('onReady', async () => {
      await check();
      timers.push(setInterval(check, CHECK_MS).unref());
      const { urls, everyMs } = feedSchedule();
      if (urls.length) {
        const fetchAll = async () => {
          await service.fetchFeeds(urls);
          await check();
        };
        void fetchAll();
        timers.push(setInterval(() => void fetchAll(), everyMs).unref());
      }
    });
    app.addHook('onClose', async () => {
      for (const t of timers) clearInterval(t);
      await service.stop();
    });
  },
  { name: 'vulnerabilities', dependencies: ['db'] },
);
