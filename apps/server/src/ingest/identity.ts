import type { FastifyBaseLogger } from 'fastify';
import type { DbClient } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { clearIdentityFlag, flagIdentityConflicts, hostsWithMachineId, type HostRef } from '../hosts/repository';
import type { LiveBus } from '../live/bus';

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

export type { HostRef };

/** The unrevoked hosts other than `hostId` reporting `machineId`, optionally within one group. */
export async function sameMachineId(
  prisma: DbClient,
  hostId: string,
  machineId: string | null,
  group: string | null = null,
): Promise<HostRef[]> {
  if (!machineId) return [];
  return hostsWithMachineId(prisma, hostId, machineId, group);
}

/**
 * Called after a host's machine id is stored (hello, or a snapshot carrying the host fact):
 * flags every unrevoked host with that id. Each host is flagged, audited and announced once,
 * whatever the parallelism: the UPDATE only takes rows not flagged yet, and of hosts arriving
 * together the one checking last (its own row committed first) sees all the others.
 */
export async function checkMachineId(
  prisma: DbClient,
  bus: LiveBus,
  log: FastifyBaseLogger,
  hostId: string,
  machineId: string | null,
  now = new Date(),
): Promise<void> {
  if (!machineId || !(await sameMachineId(prisma, hostId, machineId)).length) return;
  const { flagged, all } = await flagIdentityConflicts(prisma, machineId, now, (row, everyone) => {
    const after = { machineId, sharedWith: everyone.filter((h) => h.id !== row.id) };
    return {
      row: { kind: 'identity', severity: 'high', ruleId: null, path: 'host.machine_id', direction: 'regression', before: null, after },
      details: { hostname: row.hostname, ...after },
    };
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
export async function clearIdentityConflict(prisma: DbClient, hostId: string, actor: string): Promise<void> {
  const found = await clearIdentityFlag(prisma, hostId, actor, (others, machineId) => {
    const names = others
      .slice(0, 5)
      .map((h) => h.hostname)
      .join(', ');
    return new AppError(
      ErrorCode.identityConflict,
      `${others.length} other host(s) (${names}) still report machine id ${machineId}. ${MACHINE_ID_ADVICE}`,
    );
  });
  if (!found) throw new AppError(ErrorCode.notFound, `no host ${hostId}`);
}
