import path from 'node:path';
import type { AutomaticUpdatesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { isInstalled } from '../lib/host-packages';
import { parseIni } from '../lib/kv-files';
import { listDir, tryReadText } from '../lib/root-fs';
import { isEnabled, unitFileState } from '../lib/systemd-units';
import { aptPartFiles, parseAptConf, type Setting } from './parse';

const APT_PARTS = '/etc/apt/apt.conf.d';
const APT_MAIN = '/etc/apt/apt.conf';
const DNF_AUTOMATIC = '/etc/dnf/automatic.conf';
const on = (s: Setting | null) => s !== null && !['0', '', 'false', 'no'].includes(s.value.toLowerCase());

export async function collect(ctx: CollectContext): Promise<AutomaticUpdatesFact> {
  const files: string[] = [];
  const apt = new Map<string, Setting>();
  for (const file of [...aptPartFiles(await listDir(ctx.root, APT_PARTS)).map((n) => path.posix.join(APT_PARTS, n)), APT_MAIN]) {
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text === null) continue;
    files.push(file);
    for (const [k, v] of parseAptConf(text, file)) apt.set(k, v);
  }
  const uuInstalled = await isInstalled(ctx, { packages: ['unattended-upgrades'], paths: ['/usr/bin/unattended-upgrade'] });
  const unattended = apt.get('apt::periodic::unattended-upgrade') ?? null;
  const periodicOff = apt.get('apt::periodic::enable')?.value === '0';

  const dnfInstalled = await isInstalled(ctx, { packages: ['dnf-automatic'], paths: ['/usr/bin/dnf-automatic'] });
  const dnfConf = parseIni((await tryReadText(ctx.root, DNF_AUTOMATIC).catch(() => null)) ?? '').filter((e) => e.section === 'commands');
  const dnfSetting = (key: string): Setting | null => {
    const e = dnfConf.filter((x) => x.key === key).at(-1);
    return e ? { value: e.value, file: DNF_AUTOMATIC, line: e.line } : null;
  };
  const apply = dnfSetting('apply_updates');
  const timer = isEnabled(await unitFileState(ctx.root, 'dnf-automatic.timer'));
  const installTimer = isEnabled(await unitFileState(ctx.root, 'dnf-automatic-install.timer'));
  return {
    unattended_upgrades: {
      installed: uuInstalled,
      enabled: uuInstalled && !periodicOff && on(unattended),
      unattended_upgrade: unattended,
      update_package_lists: apt.get('apt::periodic::update-package-lists') ?? null,
      timer_enabled: isEnabled(await unitFileState(ctx.root, 'apt-daily-upgrade.timer')),
      files,
    },
    dnf_automatic: {
      installed: dnfInstalled,
      enabled: dnfInstalled && (installTimer || (timer && ['yes', 'true', '1'].includes((apply?.value ?? '').toLowerCase()))),
      apply_updates: apply,
      upgrade_type: dnfSetting('upgrade_type'),
      timer_enabled: timer,
      install_timer_enabled: installTimer,
    },
  };
}
