import { COMPILED } from './content-compiled.generated';
import type { Content } from './load';
import type { Profile, Rule } from './schema';

export { RULE_FILES, PROFILE_FILES } from './content-bundle.generated';

/** Content as data: what scripts/bundle-content.mjs writes after loading and validating the YAML. */
export interface CompiledContent {
  rules: Rule[];
  profiles: Profile[];
  locations: [string, { file: string; line: number }][];
}

let cached: Content | undefined;

/**
 * The rules and profiles shipped with Plumbline. They were loaded and validated against the fact
 * schemas when the package was built (the content test checks that this copy equals loading the
 * YAML now), so reading them here costs a JSON.parse, not a YAML parse and a validation.
 */
export function bundledContent(): Content {
  cached ??= {
    rules: COMPILED.rules,
    byId: new Map(COMPILED.rules.map((r) => [r.id, r])),
    profiles: new Map(COMPILED.profiles.map((p) => [p.id, p])),
    locations: new Map(COMPILED.locations),
  };
  return cached;
}
