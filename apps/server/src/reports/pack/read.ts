import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { PackLimits } from './format';

/**
 * Reading a pack defensively, with yauzl (which checks every entry's declared sizes while it
 * inflates, so a zip bomb stops at its declared size): the whole archive is held in memory, up
 * to the limits in PackLimits, and nothing is ever written to disk, so a hostile entry name
 * can do no harm; it is still refused, naming it.
 */

/** The file is not a pack one can check: not a zip, truncated, or beyond the limits. Exit 2. */
export class UnusablePack extends Error {}

/** The archive is readable but not as it was made: an entry that cannot be a pack's (its name is given). Exit 1. */
export class RefusedEntry extends Error {
  constructor(
    readonly entry: string,
    message: string,
  ) {
    super(message);
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** Whether a file starts like a zip archive (a local file header, or an empty archive's end record). */
export async function looksLikeZip(file: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return bytesRead === 4 && (b.equals(ZIP_MAGIC) || b.equals(EMPTY_ZIP_MAGIC));
  } finally {
    await fh.close();
  }
}

const fromBuffer = promisify<Buffer, yauzl.Options, ZipFile>(yauzl.fromBuffer);

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: Entry) => done(null, e);
    const onEnd = () => done(null, null);
    const onError = (err: Error) => done(err, null);
    const done = (err: Error | null, e: Entry | null) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      if (err) reject(err);
      else resolve(e);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function readEntry(zip: ZipFile, entry: Entry, name: string): Promise<Buffer> {
  const stream = await promisify(
    zip.openReadStream.bind(zip) as (e: Entry, cb: (err: Error | null, s: NodeJS.ReadableStream) => void) => void,
  )(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > entry.uncompressedSize)
      throw new RefusedEntry(name, `${name}: inflates beyond its declared ${entry.uncompressedSize} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A name a pack could hold: relative, forward slashes, no `..`, no control characters. */
export function unsafeName(name: string): string | null {
  const why = yauzl.validateFileName(name);
  if (why) return why;
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'control characters in the name';
  if (name.split('/').some((p) => p === '.' || p === '..')) return 'a relative path segment';
  return null;
}

/** Every file of the pack, by name (directories are skipped). */
export async function readPack(file: string): Promise<Map<string, Buffer>> {
  const fh = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new UnusablePack(`cannot read ${file}: ${err.code ?? String(err)}`);
  });
  let data: Buffer;
  try {
    const { size } = await fh.stat();
    if (size > PackLimits.packBytes)
      throw new UnusablePack(`${file} is ${size} bytes, more than a pack this tool checks (${PackLimits.packBytes})`);
    data = await fh.readFile();
  } finally {
    await fh.close();
  }
  let zip: ZipFile;
  try {
    zip = await fromBuffer(data, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw new UnusablePack(
      `${file} is not a readable zip archive (${err instanceof Error ? err.message : String(err)}): not a pack, or truncated`,
    );
  }
  if (zip.entryCount > PackLimits.entries)
    throw new UnusablePack(`${file} holds ${zip.entryCount} entries, more than a pack has (at most ${PackLimits.entries})`);
  const files = new Map<string, Buffer>();
  let total = 0;
  try {
    for (let e = await nextEntry(zip); e; e = await nextEntry(zip)) {
      const raw = e.fileName as unknown as Buffer;
      const name = raw.toString('utf8');
      const why = unsafeName(name);
      if (why) throw new RefusedEntry(name, `entry '${name}' is not a name a pack holds (${why})`);
      if (name.endsWith('/')) continue;
      if (files.has(name)) throw new RefusedEntry(name, `${name} appears twice in the archive`);
      if (e.isEncrypted()) throw new RefusedEntry(name, `${name} is encrypted`);
      if (e.uncompressedSize > PackLimits.entryBytes)
        throw new UnusablePack(
          `${name} declares ${e.uncompressedSize} bytes, more than this tool reads (${PackLimits.entryBytes}): refused`,
        );
      total += e.uncompressedSize;
      if (total > PackLimits.totalBytes)
        throw new UnusablePack(`the entries declare more than ${PackLimits.totalBytes} bytes in all, more than this tool reads: refused`);
      try {
        files.set(name, await readEntry(zip, e, name));
      } catch (err) {
        if (err instanceof RefusedEntry) throw err;
        throw new RefusedEntry(
          name,
          `${name} cannot be read from the archive (${err instanceof Error ? err.message : String(err)}): damaged or altered`,
        );
      }
    }
  } catch (err) {
    if (err instanceof RefusedEntry || err instanceof UnusablePack) throw err;
    throw new UnusablePack(`${file}: the archive's directory is damaged (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    zip.close();
  }
  return files;
}
