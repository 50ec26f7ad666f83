import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * Directories whose files matter most: a change there is collected within about a
 * second instead of at the next interval. /etc itself covers passwd, group, shadow,
 * sudoers, sysctl.conf, fstab and login.defs.
 */
export const WATCHED_DIRS = [
  'etc',
  'etc/ssh',
  'etc/ssh/sshd_config.d',
  'etc/sysctl.d',
  'etc/sudoers.d',
  'etc/modprobe.d',
  'etc/ufw',
  'etc/iptables',
  'etc/pam.d',
  'etc/security',
  'etc/audit/rules.d',
  'etc/apt/apt.conf.d',
  'etc/systemd/system',
];

/**
 * Watches WATCHED_DIRS under `root` (inotify, not recursive) and calls `onChange` once
 * per burst of events, `debounceMs` after the last. Directories that do not exist are
 * skipped. Returns a function that stops watching.
 */
export function watchConfig(root: string, onChange: () => void, log: Logger, debounceMs = 500): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounceMs);
  };
  for (const dir of WATCHED_DIRS) {
    try {
      const w = watch(path.join(root, dir), { persistent: false }, fire);
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // absent on this host: nothing to watch
    }
  }
  log.debug({ watching: watchers.length }, 'watching configuration directories');
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
