import { z } from 'zod';

/** Where a value came from: a file and line, or a command. Shown as evidence. */
export const SourceRef = z.object({
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  command: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

/** A collector that could not read its source yields this instead of a value. */
export const FactError = z.object({
  code: z.string().regex(/^PLUMBLINE_ERR_[A-Z_]+$/),
  message: z.string().max(2000),
  path: z.string().optional(),
});
export type FactError = z.infer<typeof FactError>;
