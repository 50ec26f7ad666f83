// Types for the parts of facts.mjs that TypeScript tests use.

/** A fixture host tree's facts and collection errors, as the built agent collects them. */
export interface FixtureFacts {
  name: string;
  facts: Record<string, unknown>;
  errors: Record<string, unknown>;
}

/** Runs `plumbline-agent facts --root` on every fixture tree (the agent must be built). */
export function loadFixtures(repo: string): FixtureFacts[];
