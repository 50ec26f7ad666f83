import type { z } from 'zod';
import { ProfileSchema, RuleSchema, type Profile, type Rule } from './schema';
import { paramValueError, validateCondition } from './validate-check';
import { ContentError, YamlSource, type LoadProblem, type SourceFile } from './yaml-source';

export { ContentError, formatProblem, type LoadProblem, type SourceFile } from './yaml-source';

/** Rules and profiles, validated, with where each rule was defined. */
export interface Content {
  rules: Rule[];
  byId: Map<string, Rule>;
  profiles: Map<string, Profile>;
  locations: Map<string, { file: string; line: number }>;
}

function zodProblems(src: YamlSource, base: (string | number)[], error: z.ZodError, node: unknown): LoadProblem[] {
  return error.issues.map((i) => {
    const path = [...base, ...(i.path as (string | number)[])];
    const keys = (i as { keys?: string[] }).keys;
    if (i.code === 'unrecognized_keys' && keys?.length) {
      return src.problem(
        [...path, keys[0] as string],
        `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}`,
      );
    }
    const at = i.path.length ? ` at ${i.path.join('.')}` : '';
    const id = node && typeof node === 'object' && 'id' in node ? ` (${String((node as { id: unknown }).id)})` : '';
    return src.problem(path, `${i.message}${at}${id}`);
  });
}

/**
 * Parses rule files: each is `{ area, rules: [...] }`. Every problem is collected (not just the
 * first) so a content author sees them all at once; any problem makes the load fail.
 */
export function parseRuleFiles(files: SourceFile[]): { rules: Rule[]; locations: Content['locations']; problems: LoadProblem[] } {
  const rules: Rule[] = [];
  const problems: LoadProblem[] = [];
  const locations: Content['locations'] = new Map();
  for (const f of files) {
    const src = new YamlSource(f.path, f.text);
    problems.push(...src.problems);
    const top = src.value as { rules?: unknown } | undefined;
    if (src.problems.length) continue;
    if (!top || typeof top !== 'object' || !Array.isArray(top.rules)) {
      problems.push(src.problem([], 'a rule file is a mapping with a `rules:` list'));
      continue;
    }
    const extra = Object.keys(top).filter((k) => k !== 'rules' && k !== 'area');
    if (extra.length) problems.push(src.problem([extra[0] as string], `unknown field '${extra[0]}' (a rule file has area and rules)`));
    top.rules.forEach((raw, i) => {
      const base = ['rules', i];
      const parsed = RuleSchema.safeParse(raw);
      if (!parsed.success) return void problems.push(...zodProblems(src, base, parsed.error, raw));
      const rule = parsed.data as Rule;
      const line = src.lineOf([...base, 'id']);
      const seen = locations.get(rule.id);
      if (seen)
        return void problems.push({ file: f.path, line, message: `duplicate rule id '${rule.id}' (first at ${seen.file}:${seen.line})` });
      const params = rule.params ?? {};
      for (const [name, def] of Object.entries(params)) {
        const bad = paramValueError(def, def.default);
        if (bad) problems.push(src.problem([...base, 'params', name, 'default'], `parameter '${name}' default: ${bad}`));
      }
      const ssg = new Set(rule.references.ssg);
      const grouped = new Set<string>();
      rule.oscap?.alternatives?.forEach((group, g) =>
        group.forEach((id, k) => {
          const at = [...base, 'oscap', 'alternatives', g, k];
          if (!ssg.has(id)) problems.push(src.problem(at, `${rule.id}: alternative '${id}' is not in references.ssg`));
          else if (grouped.has(id)) problems.push(src.problem(at, `${rule.id}: '${id}' is in two alternative groups`));
          grouped.add(id);
        }),
      );
      const issues = validateCondition(rule.check, [], params);
      if (rule.applies?.when !== undefined) issues.push(...validateCondition(rule.applies.when, ['applies', 'when'], params).map((x) => x));
      for (const is of issues) {
        const path = is.path[0] === 'applies' ? is.path : ['check', ...is.path];
        problems.push(src.problem([...base, ...path], `${rule.id}: ${is.message}`));
      }
      if (!issues.length) {
        locations.set(rule.id, { file: f.path, line });
        rules.push(rule);
      }
    });
  }
  return { rules, locations, problems };
}

/** Parses profile files (one profile each) and checks every rule id and parameter they name. */
export function parseProfileFiles(
  files: SourceFile[],
  byId: Map<string, Rule>,
): { profiles: Map<string, Profile>; problems: LoadProblem[] } {
  const profiles = new Map<string, Profile>();
  const problems: LoadProblem[] = [];
  for (const f of files) {
    const src = new YamlSource(f.path, f.text);
    problems.push(...src.problems);
    if (src.problems.length) continue;
    const parsed = ProfileSchema.safeParse(src.value);
    if (!parsed.success) {
      problems.push(...zodProblems(src, [], parsed.error, src.value));
      continue;
    }
    const p = parsed.data;
    if (profiles.has(p.id)) problems.push(src.problem(['id'], `duplicate profile id '${p.id}'`));
    for (const key of ['rules', 'exclude'] as const) {
      p[key].forEach((id, i) => {
        if (!byId.has(id)) problems.push(src.problem([key, i], `unknown rule '${id}'`));
      });
    }
    for (const [id, values] of Object.entries(p.params)) {
      const rule = byId.get(id);
      if (!rule) {
        problems.push(src.problem(['params', id], `unknown rule '${id}'`));
        continue;
      }
      for (const [name, v] of Object.entries(values)) {
        const def = rule.params?.[name];
        const bad = def ? paramValueError(def, v) : `unknown parameter '${name}' of rule '${id}'`;
        if (bad) problems.push(src.problem(['params', id, name], def ? `parameter '${name}' of '${id}': ${bad}` : bad));
      }
    }
    profiles.set(p.id, p);
  }
  return { profiles, problems };
}

/** Loads rule and profile files; throws ContentError listing every problem with file:line. */
export function loadContent(ruleFiles: SourceFile[], profileFiles: SourceFile[]): Content {
  const r = parseRuleFiles(ruleFiles);
  const byId = new Map(r.rules.map((x) => [x.id, x]));
  const p = parseProfileFiles(profileFiles, byId);
  const problems = [...r.problems, ...p.problems];
  if (problems.length) throw new ContentError(problems);
  return { rules: r.rules, byId, profiles: p.profiles, locations: r.locations };
}

/** The rules a profile selects, in content order. */
export function profileRules(content: Content, profile: Profile): Rule[] {
  const extra = new Set(profile.rules);
  const excluded = new Set(profile.exclude);
  return content.rules.filter((r) => !excluded.has(r.id) && (extra.has(r.id) || r.levels.some((l) => profile.levels.includes(l))));
}
