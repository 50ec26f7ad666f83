import type { FastifyBaseLogger } from 'fastify';
import { appendAuditInTx } from '../audit/trail';
import { AppError, ErrorCode } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { LiveBus } from '../live/bus';
import { insertDrift } from '../drift/repository';

/**
 * Host identity. Hosts are told apart by their agent credential, never by what they report,
 * so two machines can never be merged into one row. But a cloned disk image carries the same
 * /etc/machine-id to every copy: when a second host reports a machine id another unrevoked
 * host has, both are flagged "identity conflict" (audited, a drift event of kind `identity`
 * that webhooks receive), until an operator clears the flag once the ids differ.
 */

/** What a person reads beside the flag: why it happens and how to fix it. */
export const MACHINE_ID_ADVICE =
  'Cloned images share /etc/machine-id. On each copy run `rm /etc/machine-id && systemd-machine-id-setup`, restart the Plumbline agent, then clear the flag on each host.';

export interface HostRef {
  id: string;
  hostname: string;
}

/** The unrevoked hosts other than `hostId` reporting `machineId`, optionally within one group. */
export async function sameMachineId(
  prisma: PrismaClient,
  hostId: string,
  machineId: string | null,
  group: string | null = null,
): Promise<HostRef[]> {
  if (!machineId) return [];
  return prisma.host.findMany({
    where: { machineId, id: { not: hostId }, credential: { revokedAt: null }, ...(group !== null && { groupName: group }) },
    select: { id: true, hostname: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/**
 * Called after a host's machine id is stored (hello, or a snapshot carrying the host fact):
 * flags every unrevoked host with that id. Each host is flagged, audited and announced once,
 * whatever the parallelism: the UPDATE only takes rows not flagged yet, and of hosts arriving
 * together the one checking last (its own row committed first) sees all the others.
 */
export async function checkMachineId(
  prisma: PrismaClient,
  bus: LiveBus,
  log: FastifyBaseLogger,
  hostId: string,
  machineId: string | null,
  now = new Date(),
): Promise<void> {
  if (!machineId || !(await sameMachineId(prisma, hostId, machineId)).length) return;
  const { flagged, all } = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<HostRef[]>(
      `UPDATE hosts h SET identity_conflict_at = $2::timestamptz FROM agent_credentials c
        WHERE h.machine_id = $1 AND h.identity_conflict_at IS NULL AND c.id = h.credential_id AND c.revoked_at IS NULL
        RETURNING h.id::text AS id, h.hostname`,
      machineId,
      now,
    );
    const everyone = await tx.host.findMany({
      where: { machineId, credential: { revokedAt: null } },
      select: { id: true, hostname: true },
    });
    for (const row of rows) {
      const sharedWith = everyone.filter((h) => h.id !== row.id);
      const after = { machineId, sharedWith };
      await insertDrift(
        tx,
        row.id,
        [{ kind: 'identity', severity: 'high', ruleId: null, path: 'host.machine_id', direction: 'regression', before: null, after }],
        now,
        now,
      );
      await appendAuditInTx(tx, {
        actor: 'system',
        action: 'host.identity_conflict',
        target: row.id,
        details: { hostname: row.hostname, ...after },
      });
    }
    return { flagged: rows, all: everyone };
  });
  if (!flagged.length) return;
  log.warn(
    { machineId, hosts: all.map((h) => h.id), flagged: flagged.map((h) => h.id) },
    'hosts report the same machine id; flagged as an identity conflict',
  );
  bus.publishMany(
    flagged.map((h) => ({
      type: 'drift',
      hostId: h.id,
      hostname: h.hostname,
      kind: 'identity',
      severity: 'high',
      ruleId: null,
      path: 'host.machine_id',
      direction: 'regression',
      at: now.toISOString(),
    })),
  );
}

/**
 * Clears a host's identity-conflict flag; refused (409) while another unrevoked host still
 * reports its machine id, so the flag cannot be silenced before the cause is gone.
 */
export async function clearIdentityConflict(prisma: PrismaClient, hostId: string, actor: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const [host] = await tx.$queryRawUnsafe<Array<{ hostname: string; machine_id: string | null; identity_conflict_at: Date | null }>>(
      'SELECT hostname, machine_id, identity_conflict_at FROM hosts WHERE id = $1::uuid FOR UPDATE',
      hostId,
    );
    if (!host) throw new AppError(ErrorCode.notFound, `no host ${hostId}`);
    if (!host.identity_conflict_at) return;
    const others = host.machine_id
      ? await tx.host.findMany({
          where: { machineId: host.machine_id, id: { not: hostId }, credential: { revokedAt: null } },
          select: { hostname: true },
        })
      : [];
    if (others.length) {
      const names = others
        .slice(0, 5)
        .map((h) => h.hostname)
        .join(', ');
      throw new AppError(
        ErrorCode.identityConflict,
        `${others.length} other host(s) (${names}) still report machine id ${host.machine_id}. ${MACHINE_ID_ADVICE}`,
      );
    }
    await tx.host.update({ where: { id: hostId }, data: { identityConflictAt: null } });
    await appendAuditInTx(tx, {
      actor,
      action: 'host.identity_resolved',
      target: hostId,
      details: { hostname: host.hostname, machineId: host.machine_id },
    });
  });
}
