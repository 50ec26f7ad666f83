import type { PrismaClient } from '../generated/prisma/client';
import { AdvisoryLock } from '../db/advisory-locks';
import type { Tx } from '../db/write-batch';

/** The server's signing keys, by purpose; the oldest unretired key of a purpose is the current one. */

export interface ServerKeyRow {
  id: string;
  algorithm: string;
  publicKey: string;
  privateKey: string;
}

export function currentServerKey(prisma: Tx, purpose: string): Promise<ServerKeyRow | null> {
  return prisma.serverKey.findFirst({ where: { purpose, retiredAt: null }, orderBy: { createdAt: 'asc' } });
}

/**
 * The current key of a purpose, made with `make` when there is none. Under the signing-key
 * lock: replicas starting at once on a new database make one key, and the others read it.
 */
export async function currentServerKeyOrCreate(prisma: PrismaClient, purpose: string, make: () => ServerKeyRow): Promise<ServerKeyRow> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.signingKey);
    const again = await currentServerKey(tx, purpose);
    if (again) return again;
    return tx.serverKey.create({ data: { ...make(), purpose } });
  });
}

/** Every key of a purpose, retired ones too, oldest first (public parts only). */
export function serverPublicKeys(prisma: PrismaClient, purpose: string) {
  return prisma.serverKey.findMany({
    where: { purpose },
    orderBy: { createdAt: 'asc' },
    select: { id: true, algorithm: true, publicKey: true },
  });
}
