import fp from 'fastify-plugin';
import { pruneHistory, RETENTION_CHECK_MS, type RetentionRun } from '../../history/retention';
import { compactScores, sampleScores } from '../../scores/sampler';
import { sweepExpiredWaivers } from '../../waivers/sweep';

declare module 'fastify' {
  interface FastifyInstance {
    maintenance: Maintenance;
  }
}

export interface Maintenance {
  /** Samples scores for the trend charts and applies retention; `now` is injectable for tests. */
  sampleScores(now?: Date): Promise<number>;
  /** Rescores hosts whose stored score still counts an expired waiver. */
  sweepWaivers(now?: Date): Promise<string[]>;
  /** History retention (PLUMBLINE_HISTORY_RETENTION_DAYS): null when it ran recently or runs elsewhere. */
  pruneHistory(now?: Date): Promise<RetentionRun | null>;
}

/**
 * Periodic jobs that keep derived data honest, off the ingest path: score samples (one
 * at start-up, then every PLUMBLINE_SCORE_SAMPLE_SECONDS) and the waiver-expiry sweep
 * (every PLUMBLINE_WAIVER_SWEEP_SECONDS), and history retention (every six hours, on one
 * replica at a time, asked every ten minutes). A failing run is logged and retried at the next
 * tick; close waits for a run in progress so the database is not closed under it.
 */
export default fp(
  async (app) => {
    const prisma = app.db.prisma;
    const { scoreSampleSeconds, waiverSweepSeconds, historyRetentionDays } = app.config;
    const maintenance: Maintenance = {
      sampleScores: async (now = new Date()) => {
        const written = await sampleScores(prisma, now, scoreSampleSeconds);
        await compactScores(prisma, now, historyRetentionDays);
        return written;
      },
      sweepWaivers: (now = new Date()) => sweepExpiredWaivers(prisma, app.evaluator, now),
      pruneHistory: async (now = new Date()) => {
        const done = await pruneHistory(prisma, now, historyRetentionDays);
        if (done) app.log.info(done, 'history retention: thinned to a checkpoint');
        return done;
      },
    };
    app.decorate('maintenance', maintenance);

    const running = new Set<Promise<unknown>>();
    const run = (what: string, job: () => Promise<unknown>) => {
      const p = job()
        .catch((err: unknown) => app.log.warn({ err }, `${what} failed; retrying at the next tick`))
        .finally(() => running.delete(p));
      running.add(p);
    };
    const timers: NodeJS.Timeout[] = [];
    app.addHook('onReady', async () => {
      run('score sample', () => maintenance.sampleScores());
      run('waiver sweep', () => maintenance.sweepWaivers());
      run('history retention', () => maintenance.pruneHistory());
      timers.push(setInterval(() => run('history retention', () => maintenance.pruneHistory()), RETENTION_CHECK_MS).unref());
      timers.push(setInterval(() => run('score sample', () => maintenance.sampleScores()), scoreSampleSeconds * 1000).unref());
      timers.push(setInterval(() => run('waiver sweep', () => maintenance.sweepWaivers()), waiverSweepSeconds * 1000).unref());
    });
    app.addHook('onClose', async () => {
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
    });
  },
  { name: 'maintenance', dependencies: ['db'] },
);
