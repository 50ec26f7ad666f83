import { createHash } from 'node:crypto';

/** Spool entry names: the sequence number, zero-padded to 16 digits. */
export const SPOOL_ENTRY = /^(\d{16})\.json$/;

/** A spooled file that may be sent again (the SHA-256 of its text), or why it may not. */
export type SpoolVerdict = { sha256: string } | { why: string };

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
