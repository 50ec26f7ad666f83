import { appendAuditInTx } from '../audit/repository';
import { AdvisoryLock } from '../db/advisory-locks';
import type { Tx } from '../db/write-batch';
import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** Groups and their policy: profile and tailoring, golden host, custom rule files, rule counts. */

type Client = PrismaClient | Tx;
export type GroupRow = Prisma.GroupGetPayload<object>;
export type CustomRuleFileRow = Prisma.CustomRuleFileGetPayload<object>;

/** Whether a group exists (trends are asked by group name). */
export async function groupExists(prisma: Client, name: string): Promise<boolean> {
  return Boolean(await prisma.group.findUnique({ where: { name }, select: { name: true } }));
}

export function findGroup(prisma: Client, name: string): Promise<GroupRow | null> {
  return prisma.group.findUnique({ where: { name } });
}

export function listGroups(prisma: PrismaClient): Promise<GroupRow[]> {
  return prisma.group.findMany({ orderBy: { name: 'asc' } });
}

export function groupHostCount(prisma: PrismaClient, name: string): Promise<number> {
  return prisma.host.count({ where: { groupName: name } });
}

/** Ids of the hosts in these groups (judged again after a policy change). */
export async function hostIdsInGroups(prisma: PrismaClient, groups: string[]): Promise<string[]> {
  const hosts = await prisma.host.findMany({ where: { groupName: { in: groups } }, select: { id: true } });
  return hosts.map((h) => h.id);
}

export interface GroupPolicyData {
  profileId: string;
  tailoring: unknown;
  allowedPorts: unknown[];
}

/**
 * Creates a group or changes its policy, audited with the policy stored. `change` names the
 * fields to set; the others keep their stored values (a new group's: the defaults). The row is
 * locked before it is read, so changes of different fields made at once all stand: each is
 * applied to the policy the one before it left. `check` validates the policy to store and
 * throws to store nothing.
 */
export async function saveGroupPolicy(
  prisma: PrismaClient,
  name: string,
  change: Partial<GroupPolicyData>,
  actor: string,
  check: (policy: GroupPolicyData) => void,
): Promise<GroupRow> {
  return prisma.$transaction(async (tx) => {
    // A new group is made first with the defaults, so that PUTs creating it at once wait for one row.
    await tx.$executeRawUnsafe('INSERT INTO groups (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', name);
    await tx.$executeRawUnsafe('SELECT 1 FROM groups WHERE name = $1 FOR UPDATE', name);
    // Read after the lock, by a statement of its own: it sees the change committed while this waited.
    const current = await tx.group.findUniqueOrThrow({ where: { name } });
    const policy: GroupPolicyData = {
      profileId: change.profileId ?? current.profileId,
      tailoring: change.tailoring ?? current.tailoring,
      allowedPorts: change.allowedPorts ?? (current.allowedPorts as unknown[]),
    };
    check(policy);
    const g = await tx.group.update({
      where: { name },
      data: {
        profileId: policy.profileId,
        tailoring: policy.tailoring as Prisma.InputJsonValue,
        allowedPorts: policy.allowedPorts as Prisma.InputJsonValue,
      },
    });
    await appendAuditInTx(tx, { actor, action: 'group.policy', target: g.name, details: { ...policy } });
    return g;
  });
}

const goldenInclude = { host: { select: { hostname: true, baseline: { select: { hostId: true } } } } } as const;
export type GoldenHostRow = Prisma.GroupGoldenHostGetPayload<{ include: typeof goldenInclude }>;

export function findGoldenHost(prisma: Client, group: string): Promise<GoldenHostRow | null> {
  return prisma.groupGoldenHost.findUnique({ where: { groupName: group }, include: goldenInclude });
}

/** Makes this host the group's golden host, audited. */
export async function setGoldenHost(
  prisma: PrismaClient,
  group: string,
  host: { id: string; hostname: string },
  actor: string,
): Promise<GoldenHostRow> {
  const data = { hostId: host.id, setBy: actor, setAt: new Date() };
  return prisma.$transaction(async (tx) => {
    // One INSERT ... ON CONFLICT DO UPDATE (no nested read), so parallel choices never collide.
    await tx.groupGoldenHost.upsert({
      where: { groupName: group },
      create: { groupName: group, ...data },
      update: data,
      select: { groupName: true },
    });
    const row = (await findGoldenHost(tx, group))!;
    await appendAuditInTx(tx, {
      actor,
      action: 'group.golden_host.set',
      target: group,
      details: { hostId: host.id, hostname: host.hostname },
    });
    return row;
  });
}

/** Clears the group's golden host, audited; false when it had none. */
export async function clearGoldenHost(prisma: PrismaClient, group: string, actor: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.groupGoldenHost.deleteMany({ where: { groupName: group } });
    if (count) await appendAuditInTx(tx, { actor, action: 'group.golden_host.clear', target: group });
    return count > 0;
  });
}

/** The latest version of each named file, unless that name was retired. */
export async function activeCustomFiles(prisma: Client, names?: string[]): Promise<CustomRuleFileRow[]> {
  const rows = await prisma.customRuleFile.findMany({
    where: names ? { name: { in: names } } : {},
    orderBy: [{ name: 'asc' }, { version: 'desc' }],
    distinct: ['name'],
  });
  return rows.filter((r) => !r.retiredAt);
}

/** The latest version of each file that ever defined one of these rule ids, retired or not. */
export function customFilesDefining(prisma: Client, ruleIds: string[]): Promise<CustomRuleFileRow[]> {
  return prisma.customRuleFile.findMany({
    where: { ruleIds: { hasSome: ruleIds } },
    orderBy: [{ name: 'asc' }, { version: 'desc' }],
    distinct: ['name'],
  });
}

/** Stored versions of every file (or of one name), by name then newest first. */
export async function customFileVersions(
  prisma: PrismaClient,
  name?: string,
  page?: { offset: number; limit: number },
): Promise<{ rows: CustomRuleFileRow[]; total: number }> {
  const where = name ? { name } : {};
  const [rows, total] = await Promise.all([
    prisma.customRuleFile.findMany({ where, orderBy: [{ name: 'asc' }, { version: 'desc' }], skip: page?.offset, take: page?.limit }),
    prisma.customRuleFile.count({ where }),
  ]);
  return { rows, total };
}

/** One version of a file, or its latest. */
export function findCustomFile(prisma: PrismaClient, name: string, version?: number): Promise<CustomRuleFileRow | null> {
  return prisma.customRuleFile.findFirst({ where: { name, ...(version && { version }) }, orderBy: { version: 'desc' } });
}

export type StoreOutcome =
  | { stored: CustomRuleFileRow; groups: string[] }
  /** Files (other names, any version) that define some of these ids already: nothing was stored. */
  | { stored: null; owners: Array<{ name: string; ruleIds: string[] }> };

/**
 * Stores the next version of a rule file, unless another file (any version, retired or not:
 * rule ids are never reused) defines one of its ids; the groups enabling it are marked changed.
 */
export async function storeCustomFile(
  prisma: PrismaClient,
  input: { name: string; source: string; sha256: string; ruleIds: string[]; actor: string },
): Promise<StoreOutcome> {
  const { name, sha256, ruleIds } = input;
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.customRulesUpload);
    const owners = await tx.customRuleFile.findMany({
      where: { name: { not: name }, ruleIds: { hasSome: ruleIds } },
      select: { name: true, ruleIds: true },
    });
    if (owners.length) return { stored: null, owners };
    const last = await tx.customRuleFile.findFirst({ where: { name }, orderBy: { version: 'desc' }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    const stored = await tx.customRuleFile.create({
      data: { name, version, source: input.source, sha256, ruleIds, uploadedBy: input.actor },
    });
    const groups = await touchGroupsEnabling(tx, name);
    await appendAuditInTx(tx, { actor: input.actor, action: 'rules.upload', target: name, details: { version, sha256, ruleIds } });
    return { stored, groups };
  });
}

/** Marks groups that enable `name` as changed, so every replica's policy cache rebuilds them. */
async function touchGroupsEnabling(tx: Tx, name: string): Promise<string[]> {
  const groups = await tx.group.findMany({ where: { customRules: { has: name } }, select: { name: true } });
  if (groups.length) await tx.group.updateMany({ where: { name: { in: groups.map((g) => g.name) } }, data: { updatedAt: new Date() } });
  return groups.map((g) => g.name);
}

/**
 * Retires a file (every version) and takes it off the groups that enabled it, audited; null
 * when no active file has that name.
 */
export async function retireCustomFile(
  prisma: PrismaClient,
  name: string,
  actor: string,
): Promise<{ groups: string[]; ruleIds: string[] } | null> {
  return prisma.$transaction(async (tx) => {
    const latest = await tx.customRuleFile.findFirst({ where: { name }, orderBy: { version: 'desc' } });
    if (!latest || latest.retiredAt) return null;
    await tx.customRuleFile.updateMany({ where: { name, retiredAt: null }, data: { retiredAt: new Date(), retiredBy: actor } });
    const groups = await tx.group.findMany({ where: { customRules: { has: name } }, select: { name: true, customRules: true } });
    for (const g of groups)
      await tx.group.update({ where: { name: g.name }, data: { customRules: g.customRules.filter((x) => x !== name) } });
    await appendAuditInTx(tx, {
      actor,
      action: 'rules.retire',
      target: name,
      details: { version: latest.version, groups: groups.map((g) => g.name) },
    });
    return { groups: groups.map((g) => g.name), ruleIds: latest.ruleIds };
  });
}

/**
 * Sets the custom rule files a group enables (sorted, distinct names), audited; says what was
 * missing instead when the group or one of the files (active) does not exist, and changes nothing.
 */
export async function setGroupCustomFiles(
  prisma: PrismaClient,
  group: string,
  files: string[],
  actor: string,
): Promise<{ missing: null } | { missing: 'group' } | { missing: 'files'; names: string[] }> {
  return prisma.$transaction(async (tx) => {
    const current = await findGroup(tx, group);
    if (!current) return { missing: 'group' as const };
    const active = new Set((await activeCustomFiles(tx, files)).map((f) => f.name));
    const unknown = files.filter((n) => !active.has(n));
    if (unknown.length) return { missing: 'files' as const, names: unknown };
    await tx.group.update({ where: { name: group }, data: { customRules: files } });
    const enabled = files.filter((n) => !current.customRules.includes(n));
    const disabled = current.customRules.filter((n) => !files.includes(n));
    await appendAuditInTx(tx, { actor, action: 'group.custom-rules', target: group, details: { enabled, disabled, files } });
    return { missing: null };
  });
}

export interface RuleStat {
  ruleId: string;
  failCount: number;
  passCount: number;
}

/** Fleet pass/fail counts of every rule (of one rule with `ruleId`). */
export function ruleStats(prisma: PrismaClient, ruleId?: string): Promise<RuleStat[]> {
  return prisma.ruleStat.findMany({ ...(ruleId !== undefined && { where: { ruleId } }) });
}
