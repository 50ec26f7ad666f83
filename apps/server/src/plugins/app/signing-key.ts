import fp from 'fastify-plugin';
import { ensureSigningKey, type SigningKey } from '../../signing/key';
import { writePublicKeyFile } from '../../reports/trust';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Ed25519 key that signs reports and audit checkpoints. */
    signingKey: SigningKey;
  }
}

/**
 * The server's signing key, created on first start. Its public key is published in the data
 * directory too: `plumbline verify` beside an embedded server cannot open the database the
 * server holds, and reads the trusted key from there.
 */
export default fp(
  async (app) => {
    const key = await ensureSigningKey(app.db.prisma);
    app.decorate('signingKey', key);
    const published = app.db.kind === 'pglite' ? await writePublicKeyFile(app.config.dataDir, key) : null;
    app.log.info({ keyId: key.keyId, fingerprint: key.fingerprint, published }, 'signing key');
  },
  { name: 'signing-key', dependencies: ['db'] },
);
