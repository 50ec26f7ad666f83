/**
 * Text search as a person means it: `%` and `_` are characters, not wildcards. PostgreSQL's
 * LIKE escapes with a backslash by default, and Prisma's `contains` passes the text into a
 * LIKE pattern as it is, so both go through here.
 */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE/ILIKE pattern matching `text` anywhere. */
export const likePattern = (text: string) => `%${escapeLike(text)}%`;

/** A Prisma string filter matching `text` anywhere, in any case. */
export const containsText = (text: string) => ({ contains: escapeLike(text), mode: 'insensitive' as const });
