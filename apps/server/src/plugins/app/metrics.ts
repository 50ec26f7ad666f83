import fp from 'fastify-plugin';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export interface Metrics {
  registry: Registry;
  agentsConnected: Gauge;
  agentsRefused: Counter;
  agentsMoved: Counter;
  agentMessages: Counter<'type'>;
  ingestSeconds: Histogram<'type'>;
  ingestQueue: Gauge;
  liveClients: Gauge;
  evaluationSeconds: Histogram;
  dbTransactionSeconds: Histogram;
}

/**
 * Prometheus metrics at /metrics, all named plumbline_*. Readable with an API key or a
 * session: they reveal fleet size and load, which is not for everyone.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    // A few process figures instead of prom-client's thirty defaults: a short page that
    // scrapes and reads cheaply.
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    app.addHook('onClose', async () => loop.disable());
    new Gauge({
      name: 'plumbline_process_resident_memory_bytes',
      help: 'Resident memory of this process',
      registers: [registry],
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
    // Where resident memory goes: V8's heap (used of committed), and memory outside it that
    // JavaScript objects hold (Buffers, WebAssembly memories).
    new Gauge({
      name: 'plumbline_process_heap_bytes',
      help: 'V8 heap and off-heap memory: used and total (committed) heap, external (of which array buffers)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        const m = process.memoryUsage();
        this.set({ kind: 'used' }, m.heapUsed);
        this.set({ kind: 'total' }, m.heapTotal);
        this.set({ kind: 'external' }, m.external);
        this.set({ kind: 'array_buffers' }, m.arrayBuffers);
      },
    });
    new Gauge({
      name: 'plumbline_process_cpu_seconds_total',
      help: 'CPU time used by this process (user + system)',
      registers: [registry],
      collect() {
        const u = process.cpuUsage();
        this.set((u.user + u.system) / 1e6);
      },
    });
    new Gauge({
      name: 'plumbline_event_loop_delay_p99_seconds',
      help: 'p99 event loop delay since the last scrape',
      registers: [registry],
      collect() {
        this.set(loop.percentile(99) / 1e9);
        loop.reset();
      },
    });
    const metrics: Metrics = {
      registry,
      agentsConnected: new Gauge({
        name: 'plumbline_agents_connected',
        help: 'Agent WebSocket connections held by this process',
        registers: [registry],
      }),
      agentsRefused: new Counter({
        name: 'plumbline_agent_connections_refused_total',
        help: 'Agent connections refused because this process held its limit (PLUMBLINE_MAX_AGENTS)',
        registers: [registry],
      }),
      agentsMoved: new Counter({
        name: 'plumbline_agents_moved_total',
        help: 'Agents asked to reconnect to another replica because this process held more than its share (PLUMBLINE_AGENT_REBALANCE_SECONDS)',
        registers: [registry],
      }),
      agentMessages: new Counter({
        name: 'plumbline_agent_messages_total',
        help: 'Agent messages received, by type',
        labelNames: ['type'],
        registers: [registry],
      }),
      ingestSeconds: new Histogram({
        name: 'plumbline_ingest_seconds',
        help: 'Time to evaluate and store one agent message, by type',
        labelNames: ['type'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
      ingestQueue: new Gauge({
        name: 'plumbline_ingest_queue_depth',
        help: 'Agent messages waiting to be processed',
        registers: [registry],
      }),
      liveClients: new Gauge({ name: 'plumbline_live_clients', help: 'Dashboard live-feed connections', registers: [registry] }),
      evaluationSeconds: new Histogram({
        name: 'plumbline_evaluation_seconds',
        help: 'Time the rule engine takes to judge one host (CPU, no database)',
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
        registers: [registry],
      }),
      dbTransactionSeconds: new Histogram({
        name: 'plumbline_db_transaction_seconds',
        help: 'Duration of one ingest transaction (the snapshots and deltas of a batch of hosts): facts, verdicts, history, drift and score (includes the engine run)',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    };
    app.decorate('metrics', metrics);
    // Observed through hooks on objects built before this plugin, so ingest needs no registry.
    app.evaluator.observeEvaluation = (s) => metrics.evaluationSeconds.observe(s);
    app.ingest.observeTransaction = (s) => metrics.dbTransactionSeconds.observe(s);
    app.get('/metrics', { preHandler: app.requireRole(), schema: { hide: true } }, async (_req, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['auth', 'db'] },
);
