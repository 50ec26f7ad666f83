import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { unstorableTextAt } from '@plumbline/protocol/messages';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../errors';

/**
 * Input the router or PostgreSQL would otherwise answer badly. fastify answers a URL it
 * cannot decode, or a path parameter over its length limit, itself, with its own
 * `FST_ERR_*` body; `frameworkErrors` routes them to the app's error shape. PostgreSQL
 * cannot store a NUL character (nor jsonb an unpaired surrogate), so one anywhere in a
 * request used to reach the database and come back as a 500; the hook refuses it before
 * validation, naming where it was.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path parameter too long' : 'malformed URL';
  void reply.code(400).send({ code: ErrorCode.badRequest, message });
}

export default fp(
  async (app) => {
    app.addHook('preValidation', async (req, reply) => {
      const where = unstorableTextAt({ params: req.params, query: req.query, body: req.body });
      if (where)
        return reply
          .code(400)
          .send({ code: ErrorCode.badRequest, message: `${where}: text must not contain NUL characters or unpaired surrogates` });
    });
  },
  { name: 'input-guard' },
);
