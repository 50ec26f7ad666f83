import type { SpoolVerdict } from '../spool/entry';
import type { Collection, KnownDigests } from './collection';

/**
 * The work that needs the collectors and the fact schemas: a collection, and the schema
 * check of spooled messages an earlier process left. `plumbline-agent run` hands it to a
 * short-lived helper process (helper-process.ts), so that its own heap keeps none of that
 * code between cycles; tests do it in process (in-process.ts).
 */
export interface FactWork {
  /** A collection with the values of the facts whose digest is not in `known` (all when null). */
  collect(where: { root: string; live: boolean }, known: KnownDigests): Promise<Collection>;
  checkSpool(dir: string): Promise<Map<string, SpoolVerdict>>;
  /** Stops work in flight: the agent is stopping. */
  cancel(): void;
}
