import { z } from 'zod';

const mode = z
  .string()
  .regex(/^[0-7]{4}$/)
  .nullable();

/** One interactive account's home directory (CIS 7.2.9). */
export const HomeDirectory = z.object({
  user: z.string(),
  uid: z.number().int().nonnegative(),
  /** The home directory as /etc/passwd names it. */
  home: z.string(),
  exists: z.boolean(),
  /** What the path is, symlinks not followed; null when absent. */
  type: z.enum(['directory', 'file', 'symlink', 'other']).nullable(),
  /** The owner's uid is the account's (a symlink is judged by what it points to). */
  owned_by_user: z.boolean().nullable(),
  mode,
});
export type HomeDirectory = z.infer<typeof HomeDirectory>;

/** One regular file whose name starts with a dot, directly in an interactive account's home (CIS 7.2.10). */
export const DotFile = z.object({
  user: z.string(),
  path: z.string(),
  /** The file name, e.g. `.netrc`. */
  name: z.string(),
  mode,
  owned_by_user: z.boolean(),
  /** The file's group is the account's primary group. */
  group_is_primary: z.boolean(),
});
export type DotFile = z.infer<typeof DotFile>;

/**
 * home_directories: the homes and dot files of interactive accounts, i.e. accounts whose shell is
 * listed in /etc/shells and is not nologin (every shell but nologin and false without /etc/shells).
 */
export const HomeDirectoriesFact = z.object({
  /** Where the login shells came from: `/etc/shells`, or null when it is absent. */
  shells_file: z.string().nullable(),
  homes: z.array(HomeDirectory),
  dot_files: z.array(DotFile),
});
export type HomeDirectoriesFact = z.infer<typeof HomeDirectoriesFact>;
