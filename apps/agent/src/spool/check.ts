import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FRAME_BYTES } from '@plumbline/protocol/limits';
import { parseAgentMessage } from '@plumbline/protocol/messages';
import { readSafely } from '../state/safe-fs';
import { sha256Hex, SPOOL_ENTRY, type SpoolVerdict } from './entry';

/**
 * Checks every entry of a spool directory against the agent message schema, as the
 * entry is about to be sent again: readable, a sequenced message, with the number its name
 * says. Keyed by file name; a file gone meanwhile (acknowledged) has no verdict. The check
 * needs the fact schemas, so `plumbline-agent run` makes it in its helper process.
 */
export async function checkSpoolDir(dir: string): Promise<Map<string, SpoolVerdict>> {
  const verdicts = new Map<string, SpoolVerdict>();
  for (const name of await readdir(dir)) {
    const m = SPOOL_ENTRY.exec(name);
    if (!m) continue;
    const res = await readSafely(path.join(dir, name), MAX_FRAME_BYTES);
    if (!res.ok && res.missing) continue;
    const parsed = res.ok ? parseAgentMessage(res.text) : null;
    if (res.ok && parsed?.success && parsed.data.type !== 'hello' && parsed.data.seq === Number(m[1])) {
      verdicts.set(name, { sha256: sha256Hex(res.text) });
    } else {
      verdicts.set(name, { why: !res.ok ? res.why : parsed && !parsed.success ? parsed.error : 'not a message with this sequence number' });
    }
  }
  return verdicts;
}
