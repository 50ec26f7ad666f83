import { z } from 'zod';
import { FactError } from './common';
import { HostFact } from './host';
import { ListeningSocketsFact } from './sockets';
import { SshdConfigFact } from './sshd';

export { FactError, SourceRef } from './common';
export { HostFact } from './host';
export { SshdConfigFact, SshdSetting, SshdMatchBlock } from './sshd';
export { ListeningSocket, ListeningSocketsFact } from './sockets';

/**
 * Every fact the agent may report, by its stable snake_case name. Facts are a public
 * contract: rules and users' own checks address them by name and field (docs/facts.md).
 */
export const factSchemas = {
  host: HostFact,
  sshd_config: SshdConfigFact,
  listening_sockets: ListeningSocketsFact,
} as const;

export type FactName = keyof typeof factSchemas;
export const FACT_NAMES = Object.keys(factSchemas) as FactName[];

export const Facts = z.object(
  Object.fromEntries(FACT_NAMES.map((n) => [n, factSchemas[n].optional()])) as {
    [K in FactName]: z.ZodOptional<(typeof factSchemas)[K]>;
  },
);
export type Facts = z.infer<typeof Facts>;

/** Facts a collector could not read, by fact name. A fact is either in `facts` or here. */
export const FactErrors = z.record(z.string(), FactError);
export type FactErrors = z.infer<typeof FactErrors>;

/** What one collection cycle produced. */
export const FactSet = z.object({
  facts: Facts,
  errors: FactErrors,
});
export type FactSet = z.infer<typeof FactSet>;
