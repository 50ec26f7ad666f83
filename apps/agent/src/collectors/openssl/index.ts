import type { OpenSslFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { runCommand } from '../lib/exec';
import { dpkgInventory, installedPackage } from '../lib/host-packages';
import { parseOpensslVersion, upstreamVersion } from './parse';

/** The library packages, newest soname first (Ubuntu 24.04 renamed libssl3 to libssl3t64). */
const LIB_PACKAGES = ['libssl3t64', 'libssl3', 'libssl1.1', 'libssl1.0.2', 'libssl1.0.0', 'openssl'];

export async function collect(ctx: CollectContext): Promise<OpenSslFact> {
  let pkg = await installedPackage(ctx, LIB_PACKAGES);
  if (!pkg && ctx.live && (await dpkgInventory(ctx)) === null) {
    const res = await runCommand('rpm', ['-q', '--qf', '%{VERSION}-%{RELEASE}', 'openssl-libs'], { timeoutMs: 5000 }).catch(() => null);
    if (res?.code === 0 && res.stdout.trim()) pkg = { name: 'openssl-libs', version: res.stdout.trim() };
  }
  if (ctx.live) {
    const res = await runCommand('openssl', ['version'], { timeoutMs: 5000 }).catch(() => null);
    const version = res?.code === 0 ? parseOpensslVersion(res.stdout) : null;
    if (version) return { version, source: 'openssl version', package: pkg, reason: null };
  }
  if (pkg) return { version: upstreamVersion(pkg.version), source: 'package', package: pkg, reason: null };
  return {
    version: null,
    source: null,
    package: null,
    reason: ctx.live
      ? 'no openssl command or library package found'
      : 'no library package in the dpkg database (rpm is only read on a live host)',
  };
}
