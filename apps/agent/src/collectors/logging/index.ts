import path from 'node:path';
import type { LoggingFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { isInstalled } from '../lib/host-packages';
import { globUnderRoot, tryReadText } from '../lib/root-fs';
import { isEnabled, unitFileState } from '../lib/systemd-units';
import { mergeIni, readSystemdConf } from '../lib/systemd-conf';
import { parseRsyslogConf, type Rsyslog } from './parse';

const JOURNALD_MAIN = ['/etc/systemd/journald.conf', '/usr/lib/systemd/journald.conf'];
const JOURNALD_DIRS = [
  '/etc/systemd/journald.conf.d',
  '/run/systemd/journald.conf.d',
  '/usr/local/lib/systemd/journald.conf.d',
  '/usr/lib/systemd/journald.conf.d',
];
const RSYSLOG_CONF = '/etc/rsyslog.conf';
const MAX_RSYSLOG_FILES = 256;

async function rsyslog(ctx: CollectContext): Promise<Rsyslog> {
  const out: Rsyslog = {
    installed: await isInstalled(ctx, { packages: ['rsyslog'], paths: ['/usr/sbin/rsyslogd'] }),
    service_enabled: isEnabled(await unitFileState(ctx.root, 'rsyslog.service')),
    files: [],
    file_create_mode: null,
    remote_targets: [],
    remote_inputs: [],
  };
  const queue = [RSYSLOG_CONF];
  while (queue.length > 0 && out.files.length < MAX_RSYSLOG_FILES) {
    const pattern = queue.shift() as string;
    for (const file of await globUnderRoot(ctx.root, path.posix.resolve('/etc', pattern))) {
      if (out.files.includes(file)) continue;
      const text = await tryReadText(ctx.root, file).catch(() => null);
      if (text === null) continue;
      out.files.push(file);
      const p = parseRsyslogConf(text, file);
      out.file_create_mode = p.fileCreateMode ?? out.file_create_mode;
      out.remote_targets.push(...p.remote);
      out.remote_inputs.push(...p.inputs);
      queue.push(...p.includes);
    }
  }
  return out;
}

export async function collect(ctx: CollectContext): Promise<LoggingFact> {
  const files = await readSystemdConf(ctx, JOURNALD_MAIN, JOURNALD_DIRS);
  const settings = mergeIni(files, 'Journal');
  return {
    journald: {
      files: files.map((f) => f.file),
      settings,
      storage: settings.Storage?.value ?? null,
      compress: settings.Compress?.value ?? null,
      forward_to_syslog: settings.ForwardToSyslog?.value ?? null,
    },
    rsyslog: await rsyslog(ctx),
  };
}
