import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { compareBytes } from './order';
import { listDir, readLinkUnderRoot, resolveUnderRoot } from './root-fs';

export interface ConfCandidate {
  /** Absolute path of the file on the described host. */
  path: string;
  /** True for a symlink to /dev/null: it masks the name without adding anything. */
  nullLink: boolean;
}

export interface ConfFileSet {
  /** Files to apply, in basename order. */
  files: string[];
  masked: { file: string; masked_by: string }[];
}

/**
 * systemd's drop-in precedence (sysctl.d, modprobe.d, ...): candidates arrive in directory
 * priority order; the first file with a given basename wins and masks the rest; a winner
 * that links to /dev/null masks the name entirely; winners apply in basename order.
 */
export function resolveConfFiles(candidates: ConfCandidate[]): ConfFileSet {
  const winners = new Map<string, ConfCandidate>();
  const masked: ConfFileSet['masked'] = [];
  for (const c of candidates) {
    const base = path.posix.basename(c.path);
    const winner = winners.get(base);
    if (winner) masked.push({ file: c.path, masked_by: winner.path });
    else winners.set(base, c);
  }
  const files = [...winners.entries()]
    .filter(([, c]) => !c.nullLink)
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([, c]) => c.path);
  return { files, masked };
}

/** Lists `*<suffix>` files of each directory (highest priority first) under the root. */
export async function listConfFiles(root: string, dirs: string[], suffix = '.conf'): Promise<ConfFileSet> {
  const candidates: ConfCandidate[] = [];
  // On merged-/usr hosts /lib is a link to /usr/lib: the same directory must not mask itself.
  const seen = new Set<string>();
  for (const dir of dirs) {
    const real = await resolveUnderRoot(root, dir)
      .then((p) => realpath(p))
      .catch(() => dir);
    if (seen.has(real)) continue;
    seen.add(real);
    for (const name of await listDir(root, dir)) {
      if (!name.endsWith(suffix) || name.startsWith('.')) continue;
      const p = path.posix.join(dir, name);
      candidates.push({ path: p, nullLink: (await readLinkUnderRoot(root, p)) === '/dev/null' });
    }
  }
  return resolveConfFiles(candidates);
}
