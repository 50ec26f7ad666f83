import type { PrismaClient } from '../generated/prisma/client';

/** Groups and their policy. */

/** Whether a group exists (trends are asked by group name). */
export async function groupExists(prisma: PrismaClient, name: string): Promise<boolean> {
  return Boolean(await prisma.group.findUnique({ where: { name }, select: { name: true } }));
}
