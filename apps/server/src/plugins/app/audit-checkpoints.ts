import fp from 'fastify-plugin';
import { appendCheckpoint, checkpointFile, lastCheckpoint, signCheckpoint, type Checkpoint, type ChainHead } from '../../audit/checkpoint';
import { chainHead } from '../../audit/repository';

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes a signed checkpoint of the audit chain's head when it moved; null when it did not. */
    auditCheckpoint(reason: string): Promise<Checkpoint | null>;
  }
}

/**
 * Signed checkpoints of the audit chain's head, written outside the database (a file in the
 * data directory, and the log): at start, every PLUMBLINE_AUDIT_CHECKPOINT_SECONDS when the
 * head moved, and at shutdown. Registered right after the database so that its close hook
 * runs after the other plugins' (close hooks run in reverse order) and sees their last entries.
 */
export default fp(
  async (app) => {
    const key = app.signingKey;
    const file = checkpointFile(app.config.dataDir, key.keyId);
    let last: ChainHead | null = await lastCheckpoint(file);
    let queue: Promise<unknown> = Promise.resolve();

    const write = async (reason: string): Promise<Checkpoint | null> => {
      const head = await chainHead(app.db.prisma);
      if (!head || (last && last.seq === head.seq && last.hash === head.hash)) return null;
      if (last && BigInt(head.seq) < BigInt(last.seq)) {
        app.log.error(
          { previous: last, head },
          'audit chain head is older than the last checkpoint: entries were removed (plumbline audit verify names them)',
        );
      }
      const c = signCheckpoint(key, head, new Date());
      await appendCheckpoint(file, c);
      last = head;
      app.log.info({ auditCheckpoint: c, file, reason }, 'audit checkpoint');
      return c;
    };
    // One at a time: the shutdown checkpoint waits for a periodic one in progress.
    const checkpoint = (reason: string): Promise<Checkpoint | null> => {
      const next = queue.then(() => write(reason));
      queue = next.catch(() => undefined);
      return next;
    };
    app.decorate('auditCheckpoint', checkpoint);

    const safely = (reason: string) => checkpoint(reason).catch((err: unknown) => app.log.error({ err, file }, 'audit checkpoint failed'));
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      void safely('start');
      timer = setInterval(() => void safely('periodic'), app.config.auditCheckpointSeconds * 1000).unref();
    });
    // First as soon as shutdown begins (other close hooks may be slow, and a stop that times out
    // ends in SIGKILL), then once more last, for entries written while closing.
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await safely('shutdown');
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await safely('shutdown');
    });
  },
  { name: 'audit-checkpoints', dependencies: ['db', 'signing-key'] },
);
