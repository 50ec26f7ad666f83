import type { PackagesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { runCommand } from '../lib/exec';
import { dpkgPackages } from '../lib/dpkg-status';
import { statUnderRoot } from '../lib/root-fs';
import { parseRpmQuery } from './parse';

const RPM_DBS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
const RPM_FORMAT = '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n';

export async function collect(ctx: CollectContext): Promise<PackagesFact> {
  const dpkg = await dpkgPackages(ctx.root);
  if (dpkg !== null) return { manager: 'dpkg', available: true, reason: null, packages: dpkg };
  let hasRpm = false;
  for (const db of RPM_DBS) if ((await statUnderRoot(ctx.root, db)) !== null) hasRpm = true;
  if (!hasRpm) return { manager: null, available: false, reason: 'no dpkg or rpm database found', packages: [] };
  if (!ctx.live) {
    // The rpm database is a binary (sqlite or Berkeley DB) file only rpm itself should read.
    return { manager: 'rpm', available: false, reason: 'rpm database is only read on a live host', packages: [] };
  }
  const res = await runCommand('rpm', ['-qa', '--qf', RPM_FORMAT], { timeoutMs: 30_000 });
  if (res.code !== 0) {
    return { manager: 'rpm', available: false, reason: `rpm -qa exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`, packages: [] };
  }
  return { manager: 'rpm', available: true, reason: null, packages: parseRpmQuery(res.stdout) };
}
