import { z } from 'zod';

/** Ownership and mode of one sensitive path; symlinks are followed, as `stat -L` does. */
export const FileMetadata = z.object({
  exists: z.boolean(),
  type: z.enum(['file', 'directory', 'symlink', 'other']).nullable(),
  /** The symlink target as written when the path itself is a symlink, else null. */
  link_target: z.string().nullable(),
  uid: z.number().int().nonnegative().nullable(),
  /** Resolved through the host's own /etc/passwd; null when the uid has no entry. */
  owner: z.string().nullable(),
  gid: z.number().int().nonnegative().nullable(),
  group: z.string().nullable(),
  /** Permission bits as a four-digit octal string, e.g. `0640`. */
  mode: z
    .string()
    .regex(/^[0-7]{4}$/)
    .nullable(),
});
export type FileMetadata = z.infer<typeof FileMetadata>;

/** files: metadata of sensitive paths, keyed by absolute path. */
export const FilesFact = z.record(z.string(), FileMetadata);
export type FilesFact = z.infer<typeof FilesFact>;
