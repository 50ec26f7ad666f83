import { readFileSync } from 'node:fs';
import type { Facts } from '@plumbline/protocol/facts';
import { hostFacts } from './agent-client';
import type { TestApp } from './helper';

/** The advisory samples shipped with packages/advisories, as the tests import them. */
export const sample = (name: string) => readFileSync(new URL(`../../../packages/advisories/samples/${name}`, import.meta.url));

/** Imports the Debian tracker, EPSS and KEV samples and lets the server notice them. */
export async function importSampleFeeds(t: TestApp): Promise<void> {
  for (const f of ['debian-tracker.json', 'epss.csv', 'kev.json']) await t.app.vulnerabilities.importFeed(sample(f), f, 'system');
  await t.app.vulnerabilities.refresh();
}

export const pkg = (name: string, version: string, source = name, sourceVersion = version) => ({
  name,
  version,
  arch: 'amd64',
  status: 'install ok installed',
  installed: true,
  source,
  source_version: sourceVersion,
});

const socket = (address: string, port: number, pkgName: string | null, unit: string | null) => ({
  protocol: address.includes(':') ? 'tcp6' : 'tcp',
  address,
  port,
  inode: port,
  uid: 0,
  pid: 100 + port,
  process: 'p',
  executable: '/usr/sbin/p',
  unit,
  package: pkgName,
});

/**
 * A bookworm host: sshd (openssh at `opensshVersion`) listening on every address, libssl3, and an
 * older kernel image beside the running one. Against the Debian tracker sample, openssh
 * 1:9.2p1-2+deb12u1 has CVE-2024-6387 and CVE-2023-48795 (fixed later) and CVE-2023-51767 (no
 * fix), libssl3 CVE-2023-5678, and the kernel image not running CVE-2024-1086.
 */
export function vulnerableFacts(hostname: string, opensshVersion = '1:9.2p1-2+deb12u1'): Facts {
  return {
    ...hostFacts(hostname),
    packages: {
      manager: 'dpkg',
      available: true,
      reason: null,
      packages: [
        pkg('libssl3', '3.0.11-1~deb12u2', 'openssl'),
        pkg('linux-image-6.1.0-17-amd64', '6.1.69-1', 'linux-signed-amd64', '6.1.69+1'),
        pkg('linux-image-6.1.0-18-amd64', '6.1.76-1', 'linux-signed-amd64', '6.1.76+1'),
        pkg('openssh-client', opensshVersion, 'openssh'),
        pkg('openssh-server', opensshVersion, 'openssh'),
      ],
      running_kernel: {
        release: '6.1.0-18-amd64',
        package: 'linux-image-6.1.0-18-amd64',
        version: '6.1.76-1',
        source: 'linux-signed-amd64',
      },
    },
    listening_sockets: [socket('0.0.0.0', 22, 'openssh-server', 'ssh.service'), socket('::', 22, 'openssh-server', 'ssh.service')],
  } as Facts;
}
