import { type Setting } from '../lib/systemd-conf';
import type { LoggingFact } from '@plumbline/protocol/facts';

export type Rsyslog = LoggingFact['rsyslog'];

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
    let l = (lines[i] as string)
      .replace(/\r$/, '')
      .replace(/^\s*#.*$/, '')
      .trim();
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
    if (sel)
      out.remote.push({ target: sel[3] as string, protocol: sel[1] === '@@' ? 'tcp' : sel[1] === '@' ? 'udp' : 'relp', file, line: start });
  }
  return out;
}
