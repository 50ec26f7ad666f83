import path from 'node:path';
import type { TimeSyncFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { compareBytes } from '../lib/order';
import { isInstalled } from '../lib/host-packages';
import { mergeIni, readSystemdConf } from '../lib/systemd-conf';
import { globUnderRoot, listDir, tryReadText } from '../lib/root-fs';
import { isEnabled, unitFileState } from '../lib/systemd-units';
import { parseNtpStyleConf, type Daemon, type Server } from './parse';

async function firstUnit(ctx: CollectContext, units: string[]) {
  for (const u of units) {
    const s = await unitFileState(ctx.root, u);
    if (s) return s;
  }
  return null;
}

async function ntpStyle(ctx: CollectContext, mains: string[]): Promise<{ files: string[]; servers: Server[] }> {
  const files: string[] = [];
  const servers: Server[] = [];
  const read = async (file: string) => {
    if (files.includes(file) || files.length > 128) return null;
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text === null) return null;
    files.push(file);
    const p = parseNtpStyleConf(text, file);
    servers.push(...p.servers);
    return p;
  };
  for (const main of mains) {
    const p = await read(main);
    if (!p) continue;
    for (const pattern of p.include) for (const f of await globUnderRoot(ctx.root, pattern)) await read(f);
    // chrony reads *.conf from confdirs and *.sources from sourcedirs, by file name.
    for (const [dirs, suffix] of [
      [p.confdir, '.conf'],
      [p.sourcedir, '.sources'],
    ] as const) {
      for (const dir of dirs) {
        for (const name of (await listDir(ctx.root, dir)).filter((n) => n.endsWith(suffix)).sort(compareBytes))
          await read(path.posix.join(dir, name));
      }
    }
    break;
  }
  return { files, servers };
}

/** timesyncd.conf [Time]: NTP= and FallbackNTP= are space-separated lists; the last assignment wins. */
async function timesyncd(ctx: CollectContext): Promise<{ files: string[]; servers: Server[] }> {
  const files = await readSystemdConf(
    ctx,
    ['/etc/systemd/timesyncd.conf', '/usr/lib/systemd/timesyncd.conf'],
    [
      '/etc/systemd/timesyncd.conf.d',
      '/run/systemd/timesyncd.conf.d',
      '/usr/local/lib/systemd/timesyncd.conf.d',
      '/usr/lib/systemd/timesyncd.conf.d',
    ],
  );
  const settings = mergeIni(files, 'Time');
  const servers: Server[] = [];
  for (const kind of ['NTP', 'FallbackNTP']) {
    const s = settings[kind];
    if (s) for (const host of s.value.split(/\s+/).filter(Boolean)) servers.push({ kind, host, options: [], file: s.file, line: s.line });
  }
  return { files: files.map((f) => f.file), servers };
}

export async function collect(ctx: CollectContext): Promise<TimeSyncFact> {
  const specs: {
    name: Daemon['name'];
    packages: string[];
    paths: string[];
    units: string[];
    conf: () => Promise<{ files: string[]; servers: Server[] }>;
  }[] = [
    {
      name: 'chrony',
      packages: ['chrony'],
      paths: ['/usr/sbin/chronyd'],
      units: ['chrony.service', 'chronyd.service'],
      conf: () => ntpStyle(ctx, ['/etc/chrony/chrony.conf', '/etc/chrony.conf']),
    },
    {
      name: 'systemd-timesyncd',
      packages: ['systemd-timesyncd'],
      paths: ['/usr/lib/systemd/systemd-timesyncd', '/lib/systemd/systemd-timesyncd'],
      units: ['systemd-timesyncd.service'],
      conf: () => timesyncd(ctx),
    },
    {
      name: 'ntp',
      packages: ['ntp'],
      paths: ['/usr/sbin/ntpd'],
      units: ['ntp.service', 'ntpd.service'],
      conf: () => ntpStyle(ctx, ['/etc/ntp.conf']),
    },
    { name: 'ntpsec', packages: ['ntpsec'], paths: [], units: ['ntpsec.service'], conf: () => ntpStyle(ctx, ['/etc/ntpsec/ntp.conf']) },
  ];
  const daemons: Daemon[] = [];
  for (const s of specs) {
    const installed = await isInstalled(ctx, { packages: s.packages, paths: s.paths });
    const unit = await firstUnit(ctx, s.units);
    const conf = await s.conf();
    if (!installed && !unit && conf.files.length === 0) continue;
    daemons.push({ name: s.name, installed, unit: unit?.unit ?? null, enabled_state: unit?.enabled_state ?? null, ...conf });
  }
  return {
    daemons,
    enabled: daemons
      .filter((d) => d.installed && isEnabled(d.unit ? { unit: d.unit, file: '', enabled_state: d.enabled_state ?? '' } : null))
      .map((d) => d.name),
  };
}
