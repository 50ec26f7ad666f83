import type { CollectContext } from './context';
import { dpkgPackages } from './dpkg-status';
import { statUnderRoot } from './root-fs';

/** Installed dpkg packages by name (version), or null when the host has no dpkg database. */
type Inventory = Map<string, string> | null;

// Several collectors ask the same question in one cycle.
const cache = new WeakMap<CollectContext, Promise<Inventory>>();

export function dpkgInventory(ctx: CollectContext): Promise<Inventory> {
  let p = cache.get(ctx);
  if (!p) {
    p = dpkgPackages(ctx.root)
      .catch(() => null)
      .then((pkgs) => pkgs && new Map(pkgs.filter((x) => x.installed).map((x) => [x.name, x.version])));
    cache.set(ctx, p);
  }
  return p;
}

export interface InstallProbe {
  /** dpkg package names, any of which means installed. */
  packages: string[];
  /** Paths whose existence means installed where no dpkg inventory can say (rpm under --root). */
  paths: string[];
}

/**
 * Whether software is installed. dpkg's view wins where it exists, because a package removed
 * with its configuration kept leaves files behind; elsewhere a binary on disk answers.
 */
export async function isInstalled(ctx: CollectContext, probe: InstallProbe): Promise<boolean> {
  const inv = await dpkgInventory(ctx);
  if (inv) return probe.packages.some((p) => inv.has(p));
  for (const p of probe.paths) if ((await statUnderRoot(ctx.root, p).catch(() => null))?.isFile()) return true;
  return false;
}

/** The first of `names` dpkg has installed, with its version. */
export async function installedPackage(ctx: CollectContext, names: string[]): Promise<{ name: string; version: string } | null> {
  const inv = await dpkgInventory(ctx);
  for (const name of names) {
    const version = inv?.get(name);
    if (version !== undefined) return { name, version };
  }
  return null;
}
