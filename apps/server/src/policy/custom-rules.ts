import { createHash } from 'node:crypto';
import { bundledContent } from '@plumbline/benchmarks/content';
import { formatProblem, parseRuleFiles, type LoadProblem } from '@plumbline/benchmarks/load';
import type { Rule } from '@plumbline/benchmarks/schema';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors';
import type { DbClient } from '../db/open';
import { retireCustomFile, setGroupCustomFiles, storeCustomFile, type CustomRuleFileRow } from './repository';

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

export interface UploadOutcome {
  name: string;
  version: number;
  sha256: string;
  ruleIds: string[];
  /** Groups that enable this file: their hosts need judging again. */
  groups: string[];
  /** The stored version. */
  file: CustomRuleFileRow;
}

/** Stores a new version of a rule file; nothing is stored when it is invalid or an id collides. */
export async function uploadCustomRules(prisma: DbClient, input: { name: string; source: string; actor: string }): Promise<UploadOutcome> {
  const n = CustomRuleName.safeParse(input.name);
  if (!n.success) throw new AppError(ErrorCode.badRequest, `name: ${n.error.issues[0]?.message}`);
  const name = n.data;
  if (Buffer.byteLength(input.source) > MAX_RULE_SOURCE_BYTES)
    throw new AppError(ErrorCode.payloadTooLarge, `a rule file may be at most ${MAX_RULE_SOURCE_BYTES} bytes`);
  const rules = parseCustomRules(name, input.source);
  const ruleIds = rules.map((r) => r.id);
  const sha256 = createHash('sha256').update(input.source).digest('hex');
  const out = await storeCustomFile(prisma, { name, source: input.source, sha256, ruleIds, actor: input.actor });
  if (!out.stored) {
    const parsed = parseRuleFiles([{ path: name, text: input.source }]);
    throw new RulesInvalidError(
      ruleIds.flatMap((id) => {
        const owner = out.owners.find((o) => o.ruleIds.includes(id));
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
  return { name, version: out.stored.version, sha256, ruleIds, groups: out.groups, file: out.stored };
}

/** Retires a file (every version): it stops judging any group, and its groups no longer list it. */
export async function retireCustomRules(prisma: DbClient, name: string, actor: string): Promise<{ groups: string[]; ruleIds: string[] }> {
  const out = await retireCustomFile(prisma, name, actor);
  if (!out) throw new AppError(ErrorCode.notFound, `no active custom rule file ${name}`);
  return out;
}

/** Sets which custom rule files judge a group's hosts (replacing the previous list). */
export async function setGroupCustomRules(prisma: DbClient, group: string, names: string[], actor: string): Promise<string[]> {
  const wanted = [...new Set(names)].sort();
  const out = await setGroupCustomFiles(prisma, group, wanted, actor);
  if (out.missing === 'group') throw new AppError(ErrorCode.notFound, `no group ${group}`);
  if (out.missing === 'files') throw new AppError(ErrorCode.badRequest, `files: no active custom rule file ${out.names.join(', ')}`);
  return wanted;
}
