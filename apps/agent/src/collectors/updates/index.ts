import type { UpdatesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { readCache, writeCache } from '../lib/disk-cache';
import { runCommand } from '../lib/exec';
import { statUnderRoot } from '../lib/root-fs';
import { parseAptSimulation, parseDnfCheckUpdate, parseDnfSecurity, type Pending } from './parse';

const none = (reason: string): UpdatesFact => ({
  available: false,
  reason,
  source: null,
  pending: [],
  pending_count: null,
  security_count: null,
});

function result(source: string, pending: Pending[]): UpdatesFact {
  return {
    available: true,
    reason: null,
    source,
    pending,
    pending_count: pending.length,
    security_count: pending.filter((p) => p.security).length,
  };
}

/**
 * Pending updates depend only on the package database and the package lists, and asking
 * the package manager costs about a second of CPU: the answer is kept until one of them
 * changes (an `apt update`, an install), checked by their modification times. The answer
 * is also kept on disk, so one-shot commands (`scan`, `facts`) and a restarted agent do
 * not ask again either.
 */
const STATE_PATHS = ['/var/lib/dpkg/status', '/var/lib/apt/lists', '/var/cache/apt/pkgcache.bin', '/var/lib/rpm', '/var/cache/dnf'];

let cached: { stamp: string; fact: UpdatesFact } | null = null;

async function stateStamp(root: string): Promise<string> {
  const stats = await Promise.all(STATE_PATHS.map((p) => statUnderRoot(root, p).catch(() => null)));
  return stats.map((s) => (s ? `${s.mtimeMs}:${s.size}` : '-')).join('/');
}

export async function collect(ctx: CollectContext): Promise<UpdatesFact> {
  if (!ctx.live) return none('pending updates are only known on a live host');
  const stamp = await stateStamp(ctx.root);
  if (cached?.stamp === stamp) return cached.fact;
  const kept = await readCache<UpdatesFact>('updates', stamp);
  if (kept) {
    cached = { stamp, fact: kept };
    return kept;
  }
  const fact = await ask(ctx);
  // A failure (a held lock, a timeout) is asked again next cycle rather than remembered.
  cached = fact.available ? { stamp, fact } : null;
  if (cached) await writeCache('updates', stamp, fact);
  return fact;
}

async function ask(ctx: CollectContext): Promise<UpdatesFact> {
  try {
    if ((await statUnderRoot(ctx.root, '/usr/bin/apt-get')) !== null) {
      // -s simulates: nothing is downloaded or changed, and no lock is needed.
      const res = await runCommand('apt-get', ['-s', '-q', 'upgrade'], { timeoutMs: 15_000 });
      if (res.code !== 0) return none(`apt-get -s upgrade exited ${res.code}: ${res.stderr.trim().split('\n')[0] ?? ''}`);
      return result('apt-get -s upgrade', parseAptSimulation(res.stdout));
    }
    if ((await statUnderRoot(ctx.root, '/usr/bin/dnf')) !== null) {
      // -C: cache only, so the collector never refreshes metadata over the network.
      const sec = await runCommand('dnf', ['-q', '-C', 'updateinfo', 'list', '--security'], { timeoutMs: 15_000 });
      const res = await runCommand('dnf', ['-q', '-C', 'check-update'], { timeoutMs: 15_000 });
      // check-update exits 100 when updates are available.
      if (res.code !== 0 && res.code !== 100) return none(`dnf check-update exited ${res.code}: ${res.stderr.trim().split('\n')[0] ?? ''}`);
      return result('dnf check-update', parseDnfCheckUpdate(res.stdout, sec.code === 0 ? parseDnfSecurity(sec.stdout) : new Set()));
    }
  } catch (err) {
    return none((err as Error).message);
  }
  return none('neither apt-get nor dnf is installed');
}
