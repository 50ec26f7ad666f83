import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/** A small host tree shaped like a real Debian host: hostname, os-release, sshd_config, one socket on 2222. */
export async function makeHostRoot(root: string, hostname: string): Promise<void> {
  const w = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  };
  await w('etc/hostname', `${hostname}\n`);
  await w('etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
  await w(
    'etc/ssh/sshd_config',
    'Include /etc/ssh/sshd_config.d/*.conf\nPort 2222\nPermitRootLogin no\nPasswordAuthentication no\nX11Forwarding no\n',
  );
  await mkdir(path.join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  await w(
    'proc/net/tcp',
    `${TCP_HEADER}   0: 00000000:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0\n`,
  );
  await w('proc/net/tcp6', TCP_HEADER);
  await w('proc/net/udp', TCP_HEADER);
  await w('proc/net/udp6', TCP_HEADER);
}
