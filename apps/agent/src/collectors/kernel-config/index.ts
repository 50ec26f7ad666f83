import { readFile } from 'node:fs/promises';
import type { KernelConfigFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { listDir, resolveUnderRoot, tryReadText } from '../lib/root-fs';
import { parseKernelConfig, newestConfig } from './parse';

export async function collect(ctx: CollectContext): Promise<KernelConfigFact> {
  if (ctx.live) {
    const release = (await tryReadText(ctx.root, '/proc/sys/kernel/osrelease').catch(() => null))?.trim() ?? null;
    const file = `/boot/config-${release ?? ''}`;
    const text = release ? await tryReadText(ctx.root, file).catch(() => null) : null;
    if (text !== null) return { file, release, options: parseKernelConfig(text) };
    try {
      const gz = await readFile(await resolveUnderRoot(ctx.root, '/proc/config.gz'));
      // Loaded only here: most hosts have the plain file, and zlib is 5 ms of every collection's start.
      const { gunzipSync } = await import('node:zlib');
      return { file: '/proc/config.gz', release, options: parseKernelConfig(gunzipSync(gz).toString('utf8')) };
    } catch {
      throw new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', `neither ${file} nor /proc/config.gz exists`, file);
    }
  }
  const name = newestConfig(await listDir(ctx.root, '/boot'));
  if (!name) throw new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', 'no /boot/config-* file', '/boot');
  const file = `/boot/${name}`;
  const text = await tryReadText(ctx.root, file);
  if (text === null) throw new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', `${file} does not exist`, file);
  return { file, release: name.slice('config-'.length), options: parseKernelConfig(text) };
}
