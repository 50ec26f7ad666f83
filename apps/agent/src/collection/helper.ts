import type { CollectLog } from '../collectors/lib/context';
import { config as zodConfig } from 'zod';
import { digestedValue, type DigestedValue } from '@plumbline/protocol/digest';
import { writeCollection, type KnownDigests } from './collection';

/**
 * The helper process's side of FactWork (`plumbline-agent collect` and `check-spool`,
 * hidden commands that `run` starts; helper-process.ts is the other side). Each runs once
 * and prints its answer to stdout.
 */

/**
 * One collection, printed as writeCollection lays it out. The host is read without the
 * thread pool, as `scan` does (collectors/lib/root-fs.ts): this process serves nothing else,
 * and the hand-offs to pool threads took about half of a collection's CPU. A read that never
 * returns (a hung network mount) would stop every collector, not only its own: `run` then
 * asks again with `pooledReads`, where each collector keeps its own deadline.
 */
export async function helperCollect(
  where: { root: string; live: boolean },
  log: CollectLog,
  opts: { pooledReads: boolean; known: KnownDigests },
): Promise<string> {
  // Each schema is used once here: compiling zod's fast parsers would cost more than it saves.
  // Set before the fact schemas are built (imported below), which is when zod reads it.
  zodConfig({ jitless: true });
  const { collectFacts } = await import('../collectors/index');
  const { readHostDirectly } = await import('../collectors/lib/root-fs');
  if (!opts.pooledReads) readHostDirectly();
  // A value whose digest the agent holds passed its schema check in the collection that sent
  // it: it is not checked again (a third of an unchanged collection's own work), and its
  // canonical JSON, taken to find that out, is not taken twice.
  const known = opts.known;
  const digested = new Map<string, DigestedValue>();
  const checkedBefore = (name: string, raw: unknown) => {
    if (!known?.has(name) || raw === undefined) return false;
    let d: DigestedValue;
    try {
      d = digestedValue(raw);
    } catch {
      return false; // not JSON data at all: the schema check says what is wrong with it
    }
    if (d.digest !== known.get(name)) return false;
    digested.set(name, d);
    return true;
  };
  return writeCollection(await collectFacts({ ...where, log }, undefined, checkedBefore), known, digested);
}

/** The digests `run` already holds, as it hands them over on stdin: `{ fact name: digest }`. */
export async function readKnownDigests(input: NodeJS.ReadableStream): Promise<KnownDigests> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  const known = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  if (!known || typeof known !== 'object' || Object.values(known).some((d) => typeof d !== 'string')) {
    throw new Error('--known-digests: not an object of digests');
  }
  return new Map(Object.entries(known as Record<string, string>));
}

/** The schema check of a spool directory's entries, as JSON `{ file name: verdict }`. */
export async function helperCheckSpool(dir: string): Promise<string> {
  zodConfig({ jitless: true });
  const { checkSpoolDir } = await import('../spool/check');
  return JSON.stringify(Object.fromEntries(await checkSpoolDir(dir)));
}
