import { profileRules, type Content } from './load';
import { TailoringSchema, type Profile, type Rule, type Tailoring } from './schema';
import { paramValueError } from './validate-check';
import { ContentError, YamlSource, type LoadProblem } from './yaml-source';

/** What to evaluate: the rules and their tailored parameter values. */
export interface Selection {
  profile: string | null;
  title: string;
  rules: Rule[];
  params: Record<string, Record<string, unknown>>;
}

/** Every rule, with defaults: what `scan` without --profile evaluates. */
export function selectAll(content: Content): Selection {
  return { profile: null, title: 'all rules', rules: content.rules, params: {} };
}

export function selectProfile(content: Content, profile: Profile): Selection {
  return { profile: profile.id, title: profile.title, rules: profileRules(content, profile), params: structuredClone(profile.params) };
}

/**
 * Applies a tailoring file (`extends: <profile>`, `rules: { <id>: { enabled, params } }`) on top
 * of its profile. An unknown profile, rule or parameter, or a value of the wrong type, is
 * refused with its name and line: a typo must never silently leave a rule at its default.
 */
export function applyTailoring(content: Content, file: string, text: string): Selection {
  const src = new YamlSource(file, text);
  const fail = (problems: LoadProblem[]) => {
    throw new ContentError(problems);
  };
  if (src.problems.length) fail(src.problems);
  const parsed = TailoringSchema.safeParse(src.value);
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((i) =>
        src.problem(i.path as (string | number)[], `${i.message}${i.path.length ? ` at ${i.path.join('.')}` : ''}`),
      ),
    );
    throw new Error('unreachable');
  }
  return tailor(content, parsed.data, (path, message) => src.problem(path, message));
}

/**
 * Applies an already parsed tailoring (a group's policy from the database, say); `at`
 * places each problem (a file and line, or a field of an API request).
 */
export function tailor(content: Content, t: Tailoring, at: (path: (string | number)[], message: string) => LoadProblem): Selection {
  const fail = (problems: LoadProblem[]) => {
    throw new ContentError(problems);
  };
  const profile = content.profiles.get(t.extends);
  if (!profile) fail([at(['extends'], `unknown profile '${t.extends}' (known: ${[...content.profiles.keys()].join(', ')})`)]);
  const sel = selectProfile(content, profile as Profile);
  const problems: LoadProblem[] = [];
  const enabled = new Set(sel.rules.map((r) => r.id));
  for (const [id, change] of Object.entries(t.rules)) {
    const rule = content.byId.get(id);
    if (!rule) {
      problems.push(at(['rules', id], `unknown rule '${id}'`));
      continue;
    }
    if (change.enabled === false) enabled.delete(id);
    if (change.enabled === true) enabled.add(id);
    for (const [name, v] of Object.entries(change.params ?? {})) {
      const def = rule.params?.[name];
      if (!def) {
        problems.push(at(['rules', id, 'params', name], `unknown parameter '${name}' of rule '${id}'`));
        continue;
      }
      const bad = paramValueError(def, v);
      if (bad) problems.push(at(['rules', id, 'params', name], `parameter '${name}' of rule '${id}': ${bad}`));
      else sel.params[id] = { ...(sel.params[id] ?? {}), [name]: v };
    }
  }
  if (problems.length) fail(problems);
  return {
    profile: profile?.id ?? null,
    title: t.title ?? `${profile?.title ?? t.extends} (tailored)`,
    rules: content.rules.filter((r) => enabled.has(r.id)),
    params: sel.params,
  };
}
