import { PROFILE_FILES, RULE_FILES } from './content-bundle.generated';
import { loadContent, type Content } from './load';

export { RULE_FILES, PROFILE_FILES } from './content-bundle.generated';

let cached: Content | undefined;

/**
 * The rules and profiles shipped with Plumbline, validated once per process. Throws
 * ContentError (every problem with file:line) if the shipped content is broken.
 */
export function bundledContent(): Content {
  cached ??= loadContent(RULE_FILES, PROFILE_FILES);
  return cached;
}
