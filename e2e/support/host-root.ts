import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const UDP_HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
const UDP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
/** sshd listening on 0.0.0.0:2222 (0x08AE). */
const TCP_LISTEN_2222 =
  '   0: 00000000:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0\n';

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

/** Line 5 fails a rule whatever the specs change: the journey reads its evidence (file and line). */
export const X11_FORWARDING_LINE = 5;

export function sshdConfig(permitRootLogin: 'yes' | 'no'): string {
  return `# Plumbline e2e fixture
Include /etc/ssh/sshd_config.d/*.conf
Port 2222
PermitRootLogin ${permitRootLogin}
X11Forwarding yes
`;
}

export function sshdConfigPath(root: string): string {
  return join(root, 'etc/ssh/sshd_config');
}

/** A directory shaped like a small Debian 12 host, for `plumbline-agent run --root`. */
export async function createHostRoot(root: string, hostname: string): Promise<void> {
  await mkdir(join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  await mkdir(join(root, 'proc/net'), { recursive: true });
  await writeFile(join(root, 'etc/hostname'), `${hostname}\n`);
  await writeFile(join(root, 'etc/os-release'), OS_RELEASE);
  await writeFile(sshdConfigPath(root), sshdConfig('no'));
  await writeFile(join(root, 'proc/net/tcp'), TCP_HEADER + TCP_LISTEN_2222);
  await writeFile(join(root, 'proc/net/tcp6'), TCP6_HEADER);
  await writeFile(join(root, 'proc/net/udp'), UDP_HEADER);
  await writeFile(join(root, 'proc/net/udp6'), UDP6_HEADER);
}
