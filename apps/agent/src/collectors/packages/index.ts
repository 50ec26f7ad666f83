import type { InstalledPackage, PackagesFact, RunningKernel } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { runCommand } from '../lib/exec';
import { dpkgPackages } from '../lib/dpkg-status';
import { statUnderRoot, tryReadText } from '../lib/root-fs';
import { parseRpmQuery, runningKernelPackage } from './parse';

const RPM_DBS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
const RPM_FORMAT = '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n';

export async function collect(ctx: CollectContext): Promise<PackagesFact> {
  const dpkg = await dpkgPackages(ctx.root);
  if (dpkg !== null)
    return { manager: 'dpkg', available: true, reason: null, packages: dpkg, running_kernel: await runningKernel(ctx, 'dpkg', dpkg) };
  let hasRpm = false;
  for (const db of RPM_DBS) if ((await statUnderRoot(ctx.root, db)) !== null) hasRpm = true;
  if (!hasRpm) return { manager: null, available: false, reason: 'no dpkg or rpm database found', packages: [], running_kernel: null };
  if (!ctx.live) {
    // The rpm database is a binary (sqlite or Berkeley DB) file only rpm itself should read.
    return { manager: 'rpm', available: false, reason: 'rpm database is only read on a live host', packages: [], running_kernel: null };
  }
  const res = await runCommand('rpm', ['-qa', '--qf', RPM_FORMAT], { timeoutMs: 30_000 });
  if (res.code !== 0) {
    return {
      manager: 'rpm',
      available: false,
      reason: `rpm -qa exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`,
      packages: [],
      running_kernel: null,
    };
  }
  const packages = parseRpmQuery(res.stdout);
  return { manager: 'rpm', available: true, reason: null, packages, running_kernel: await runningKernel(ctx, 'rpm', packages) };
}

/** One small proc file: the live kernel's release, or the tree's snapshot of it. */
async function runningKernel(ctx: CollectContext, manager: 'dpkg' | 'rpm', packages: InstalledPackage[]): Promise<RunningKernel | null> {
  const release = (await tryReadText(ctx.root, '/proc/sys/kernel/osrelease').catch(() => null))?.trim();
  return release ? runningKernelPackage(release, manager, packages) : null;
}
