import path from 'node:path';
import type { InetdService, ServiceUnit } from '@plumbline/protocol/facts';
import { listDir, readLinkUnderRoot, statUnderRoot, tryReadText } from '../lib/root-fs';
import { parseInetdConf, parseXinetdConf, startLinkName } from './parse';

/** Runlevels systemd maps to multi-user.target and graphical.target, where sysv-generator looks for start links. */
const RC_DIRS = ['/etc/rc2.d', '/etc/rc3.d', '/etc/rc4.d', '/etc/rc5.d'];

/**
 * The units systemd-sysv-generator makes at boot: one per `/etc/init.d` script that no native
 * unit of the same name replaces, enabled when an rc2-5.d `S??name` link starts it.
 * `native` holds the unit names found on the unit search path.
 */
export async function sysvUnits(root: string, native: ReadonlySet<string>): Promise<ServiceUnit[]> {
  const scripts = new Set<string>();
  for (const name of await listDir(root, '/etc/init.d')) {
    if (name.startsWith('.') || name === 'README' || name.endsWith('.dpkg-dist') || name.endsWith('.dpkg-old')) continue;
    const st = await statUnderRoot(root, `/etc/init.d/${name}`).catch(() => null);
    // The generator skips scripts that are not executable files.
    if (st?.isFile() && (st.mode & 0o111) !== 0 && !native.has(`${name}.service`)) scripts.add(name);
  }
  const started = new Set<string>();
  for (const dir of RC_DIRS) {
    for (const link of await listDir(root, dir)) {
      const name = startLinkName(link);
      if (!name) continue;
      // The link names the script it starts; its target says so too, when it is a link.
      const target = await readLinkUnderRoot(root, path.posix.join(dir, link));
      started.add(target ? path.posix.basename(target) : name);
    }
  }
  return [...scripts].map((name) => ({
    unit: `${name}.service`,
    // systemctl list-unit-files says `generated` for these, enabled or not; an enabled one is wanted by multi-user.target.
    enabled_state: started.has(name) ? 'generated' : 'disabled',
    active_state: null,
    sub_state: null,
    file: `/etc/init.d/${name}`,
  }));
}

/** Services configured for inetd (/etc/inetd.conf, /etc/inetd.d) and xinetd (/etc/xinetd.conf, /etc/xinetd.d). */
export async function inetdServices(root: string): Promise<InetdService[]> {
  const out: InetdService[] = [];
  const inetd = ['/etc/inetd.conf', ...(await listDir(root, '/etc/inetd.d')).map((n) => `/etc/inetd.d/${n}`)];
  for (const file of inetd) {
    const text = await tryReadText(root, file).catch(() => null);
    if (text !== null) out.push(...parseInetdConf(text, file));
  }
  // xinetd skips files in its includedir whose names contain a dot or end in ~ (xinetd.conf(5)).
  const xinetd = [
    '/etc/xinetd.conf',
    ...(await listDir(root, '/etc/xinetd.d')).filter((n) => !/[.~]/.test(n)).map((n) => `/etc/xinetd.d/${n}`),
  ];
  for (const file of xinetd) {
    const text = await tryReadText(root, file).catch(() => null);
    if (text !== null) out.push(...parseXinetdConf(text, file));
  }
  return out;
}
