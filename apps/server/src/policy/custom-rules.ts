import { createHash } from 'node:crypto';
import { bundledContent } from '@plumbline/benchmarks/content';
import { formatProblem, parseRuleFiles, type LoadProblem } from '@plumbline/benchmarks/load';
import type { Rule } from '@plumbline/benchmarks/schema';
import { z } from 'zod';
import { appendAuditInTx } from '../audit/trail';
import { AppError, ErrorCode } from '../errors';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { AdvisoryLock } from '../db/advisory-locks';

type Client = PrismaClient | Prisma.TransactionClient;
export type CustomRuleFileRow = Prisma.CustomRuleFileGetPayload<object>;

export const CustomRuleName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, 'letters, digits, . _ -');
/** Rule files are hand-written YAML; anything larger is a mistake, not a rule set. */
export const MAX_RULE_SOURCE_BYTES = 256 * 1024;

/** A rule file the engine's loader refused; `problems` carry the line of each. */
export class RulesInvalidError extends AppError {
  constructor(readonly problems: LoadProblem[]) {
    super(ErrorCode.rulesInvalid, problems.map(formatProblem).join('; '));
  }
}

/**
 * Validates a rule file with the engine's own loader (facts and fields checked against the
 * fact schemas), and refuses ids of the bundled content: a custom rule must never shadow
 * a shipped one. Throws RulesInvalidError listing every problem with its line.
 */
export function parseCustomRules(name: string, source: string): Rule[] {
  const parsed = parseRuleFiles([{ path: name, text: source }]);
  const problems = [...parsed.problems];
  const bundled = bundledContent().byId;
  for (const r of parsed.rules) {
    if (bundled.has(r.id))
      problems.push({ file: name, line: parsed.locations.get(r.id)?.line ?? 1, message: `rule id '${r.id}' is a bundled rule's id` });
  }
  if (!problems.length && !parsed.rules.length) problems.push({ file: name, line: 1, message: 'the file defines no rules' });
  if (problems.length) throw new RulesInvalidError(problems);
  return parsed.rules;
}

/** The latest version of each named file, unless that name was retired. */
export async function activeCustomFiles(client: Client, names?: string[]): Promise<CustomRuleFileRow[]> {
  const rows = await client.customRuleFile.findMany({
    where: names ? { name: { in: names } } : {},
    orderBy: [{ name: 'asc' }, { version: 'desc' }],
    distinct: ['name'],
  });
  return rows.filter((r) => !r.retiredAt);
}

export interface UploadOutcome {
  name: string;
  version: number;
  sha256: string;
  ruleIds: string[];
  /** Groups that enable this file: their hosts need judging again. */
  groups: string[];
}

/** Stores a new version of a rule file; nothing is stored when it is invalid or an id collides. */
export async function uploadCustomRules(
  prisma: PrismaClient,
  input: { name: string; source: string; actor: string },
): Promise<UploadOutcome> {
  const n = CustomRuleName.safeParse(input.name);
  if (!n.success) throw new AppError(ErrorCode.badRequest, `name: ${n.error.issues[0]?.message}`);
  const name = n.data;
  if (Buffer.byteLength(input.source) > MAX_RULE_SOURCE_BYTES)
    throw new AppError(ErrorCode.payloadTooLarge, `a rule file may be at most ${MAX_RULE_SOURCE_BYTES} bytes`);
  const rules = parseCustomRules(name, input.source);
  const ruleIds = rules.map((r) => r.id);
  const sha256 = createHash('sha256').update(input.source).digest('hex');
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.customRulesUpload);
    // Any version of another file, retired or not: rule ids are never reused.
    const others = await tx.customRuleFile.findMany({
      where: { name: { not: name }, ruleIds: { hasSome: ruleIds } },
      select: { name: true, ruleIds: true },
    });
    if (others.length) {
      const parsed = parseRuleFiles([{ path: name, text: input.source }]);
      throw new RulesInvalidError(
        ruleIds.flatMap((id) => {
          const owner = others.find((o) => o.ruleIds.includes(id));
          return owner
            ? [
                {
                  file: name,
                  line: parsed.locations.get(id)?.line ?? 1,
                  message: `rule id '${id}' is already defined by custom rule file '${owner.name}'`,
                },
              ]
            : [];
        }),
      );
    }
    const last = await tx.customRuleFile.findFirst({ where: { name }, orderBy: { version: 'desc' }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    await tx.customRuleFile.create({ data: { name, version, source: input.source, sha256, ruleIds, uploadedBy: input.actor } });
    const groups = await touchGroupsEnabling(tx, name);
    await appendAuditInTx(tx, { actor: input.actor, action: 'rules.upload', target: name, details: { version, sha256, ruleIds } });
    return { name, version, sha256, ruleIds, groups };
  });
}

/** Marks groups that enable `name` as changed, so every replica's policy cache rebuilds them. */
async function touchGroupsEnabling(tx: Prisma.TransactionClient, name: string): Promise<string[]> {
  const groups = await tx.group.findMany({ where: { customRules: { has: name } }, select: { name: true } });
  if (groups.length) await tx.group.updateMany({ where: { name: { in: groups.map((g) => g.name) } }, data: { updatedAt: new Date() } });
  return groups.map((g) => g.name);
}

/** Retires a file (every version): it stops judging any group, and its groups no longer list it. */
export async function retireCustomRules(
  prisma: PrismaClient,
  name: string,
  actor: string,
): Promise<{ groups: string[]; ruleIds: string[] }> {
  return prisma.$transaction(async (tx) => {
    const latest = await tx.customRuleFile.findFirst({ where: { name }, orderBy: { version: 'desc' } });
    if (!latest || latest.retiredAt) throw new AppError(ErrorCode.notFound, `no active custom rule file ${name}`);
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

/** Sets which custom rule files judge a group's hosts (replacing the previous list). */
export async function setGroupCustomRules(prisma: PrismaClient, group: string, names: string[], actor: string): Promise<string[]> {
  const wanted = [...new Set(names)].sort();
  return prisma.$transaction(async (tx) => {
    const current = await tx.group.findUnique({ where: { name: group } });
    if (!current) throw new AppError(ErrorCode.notFound, `no group ${group}`);
    const active = new Set((await activeCustomFiles(tx, wanted)).map((f) => f.name));
    const unknown = wanted.filter((n) => !active.has(n));
    if (unknown.length) throw new AppError(ErrorCode.badRequest, `files: no active custom rule file ${unknown.join(', ')}`);
    await tx.group.update({ where: { name: group }, data: { customRules: wanted } });
    const enabled = wanted.filter((n) => !current.customRules.includes(n));
    const disabled = current.customRules.filter((n) => !wanted.includes(n));
    await appendAuditInTx(tx, { actor, action: 'group.custom-rules', target: group, details: { enabled, disabled, files: wanted } });
    return wanted;
  });
}
