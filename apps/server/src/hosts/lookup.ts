import type { DbClient } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { findHost, type HostRow } from './repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The host a route names, or 404: an id that is not even a UUID names no host, and outside a
 * group-scoped caller's group (`scope`) a host is answered like an unknown one.
 */
export async function requireHost(prisma: DbClient, id: string, scope: string | null): Promise<HostRow> {
  const host = UUID.test(id) ? await findHost(prisma, id) : null;
  if (!host || (scope !== null && host.groupName !== scope)) throw new AppError(ErrorCode.notFound, `no host ${id}`);
  return host;
}
