import path from 'node:path';
import type { LoggingFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { isInstalled } from '../lib/host-packages';
import { globUnderRoot, tryReadText } from '../lib/root-fs';
import { isEnabled, unitFileState } from '../lib/systemd-units';
import { mergeIni, readSystemdConf, type Setting } from '../lib/systemd-conf';

type Rsyslog = LoggingFact['rsyslog'];

const JOURNALD_MAIN = ['/etc/systemd/journald.conf', '/usr/lib/systemd/journald.conf'];

const JOURNALD_DIRS = ['/etc/systemd/journald.conf.d', '/run/systemd/journald.conf.d', '/usr/local/lib/systemd/journald.conf.d', '/usr/lib/systemd/journald.conf.d'];

const RSYSLOG_CONF = '/etc/rsyslog.conf';

const MAX_RSYSLOG_FILES = 256;

export interface RsyslogParse {
  fileCreateMode: Setting | null;
  remote: Rsyslog['remote_targets'];
  inputs: Rsyslog['remote_inputs'];
  includes: string[];
}

const NET_INPUTS = new Set(['imtcp', 'imudp', 'imrelp', 'imptcp', 'imgssapi']);

function param(stmt: string, name: string): string | null {
  return new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(stmt)?.[1] ?? null;
}

/**
 * rsyslog.conf in both syntaxes: legacy (`$FileCreateMode`, `$IncludeConfig`, selector lines
 * with `@`/`@@`/`:omrelp:` actions, `$InputTCPServerRun`) and RainerScript statements
 * (`action(...)`, `input(...)`, `include(...)`) that may span lines.
 */
export function parseRsyslogConf(text: string, file: string): RsyslogParse {
  const out: RsyslogParse = { fileCreateMode: null, remote: [], inputs: [], includes: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let l = (lines[i] as string).replace(/\r$/, '').replace(/^\s*#.*$/, '').trim();
    if (l === '') continue;
    if (/^(action|input|include|module)\s*\(/.test(l)) {
      while (!l.includes(')') && i + 1 < lines.length) l += ` ${(lines[++i] as string).trim()}`;
      const type = param(l, 'type');
      if (l.startsWith('action') && type === 'omfwd') {
        const target = param(l, 'target');
        const proto = (param(l, 'protocol') ?? 'udp').toLowerCase() === 'tcp' ? 'tcp' : 'udp';
        const port = param(l, 'port');
        if (target) out.remote.push({ target: port ? `${target}:${port}` : target, protocol: proto, file, line: start });
      } else if (l.startsWith('action') && type === 'omrelp') {
        const target = param(l, 'target');
        if (target) out.remote.push({ target, protocol: 'relp', file, line: start });
      } else if (l.startsWith('input') && type && NET_INPUTS.has(type)) out.inputs.push({ module: type, file, line: start });
      else if (l.startsWith('include')) {
        const f = param(l, 'file');
        if (f) out.includes.push(f);
      }
      continue;
    }
    const dollar = /^\$(\w+)\s+(.*)$/.exec(l);
    if (dollar) {
      const [, name, value] = dollar as unknown as [string, string, string];
      if (name.toLowerCase() === 'filecreatemode') out.fileCreateMode = { value: value.trim().split(/\s+/)[0] ?? '', file, line: start };
      else if (name.toLowerCase() === 'includeconfig') out.includes.push(value.trim());
      else if (/^(InputTCPServerRun|UDPServerRun|InputRELPServerRun)$/i.test(name)) {
        out.inputs.push({ module: /udp/i.test(name) ? 'imudp' : /relp/i.test(name) ? 'imrelp' : 'imtcp', file, line: start });
      }
      continue;
    }
    const sel = /^\S+\s+-?(@@|@|:omrelp:)(\(\S*\))?([^\s;]+)/.exec(l);
    if (sel) out.remote.push({ target: sel[3] as string, protocol: sel[1] === '@@' ? 'tcp' : sel[1] === '@' ? 'udp' : 'relp', file, line: start });
  }
  return out;
}

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
