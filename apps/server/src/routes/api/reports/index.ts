import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../../plugins/app/auth';
import { assertRetained } from '../../../history/retention';
import {
  DigestStream,
  keyHeaders,
  prepareReport,
  recordExport,
  signDigests,
  writeReport,
  type SignedReport,
} from '../../../reports/export';
import { ReportQuery } from '../../../reports/options';
import { publicInfo } from '../../../signing/key';

export const SIGNATURE_HEADER = 'x-plumbline-signature';

/**
 * Compliance reports: GET /api/v1/reports?format=csv|json|html|pdf|oscal|xccdf|arf|pack[&scope][&profile]
 * [&framework][&waivers][&asOf][&formats][&since], for every role (`pack`: an evidence pack, see reports/pack/). Each download is signed (Ed25519 over the
 * SHA-512 of its bytes, `X-Plumbline-Signature`, with the key's id, fingerprint and public key
 * beside it) and recorded in the audit trail: `plumbline verify REPORT --headers FILE` checks
 * what `curl -D FILE` saved.
 *
 * By default the report is generated into a temporary file first (streamed, hashed on the
 * way), so that its signature can travel as a response header; `signature=trailer` streams it
 * straight to the client and sends the signature as an HTTP trailer instead.
 */
const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  // Created on first start; every replica then finds the same key in the database.
  const key = app.signingKey;
  const anyRole = app.requireRole();

  app.get(
    '/public-key',
    {
      schema: { response: { 200: z.object({ keyId: z.string(), algorithm: z.string(), fingerprint: z.string(), publicKey: z.string() }) } },
    },
    async () => publicInfo(key),
  );
  app.get('/public-key.pem', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/x-pem-file').send(key.publicKeyPem),
  );

  app.get('', { preHandler: anyRole, schema: { querystring: ReportQuery } }, async (req, reply) => {
    const { signature: mode, ...options } = req.query;
    const job = prepareReport(prisma, app.policy.content, key, options, new Date(), { dataDir: app.config.dataDir });
    await assertRetained(prisma, options.asOf);
    const actor = actorOf(req.principal);
    reply
      .header('content-type', job.contentType)
      .header('content-disposition', `attachment; filename="${job.filename}"`)
      .header('cache-control', 'no-store')
      .headers(keyHeaders(key))
      .header('x-plumbline-report-id', job.ctx.id);

    if (mode === 'trailer') {
      const digest = new DigestStream();
      let signed: Promise<SignedReport> | null = null;
      const sign = () =>
        (signed ??= (async () => {
          const s = signDigests(key, digest);
          await recordExport(prisma, actor, job, s);
          return s;
        })());
      reply.trailer(SIGNATURE_HEADER, async () => (await sign()).signature);
      return reply.send(pipeline(job.stream(), digest, (err) => err && req.log.warn({ err }, 'report stream failed')));
    }

    const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-report-'));
    const file = path.join(dir, job.filename);
    const cleanup = () => void rm(dir, { recursive: true, force: true }).catch(() => undefined);
    let signed: SignedReport;
    try {
      signed = await writeReport(job, key, createWriteStream(file));
      await recordExport(prisma, actor, job, signed);
    } catch (err) {
      cleanup();
      throw err;
    }
    const body = createReadStream(file);
    body.once('close', cleanup);
    return reply
      .header(SIGNATURE_HEADER, signed.signature)
      .header('x-plumbline-content-sha256', signed.sha256)
      .header('content-length', signed.bytes)
      .send(body);
  });
};

export default reportRoutes;
