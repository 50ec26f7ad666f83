import type { TimeSyncFact } from '@plumbline/protocol/facts';

export type Daemon = TimeSyncFact['daemons'][number];
export type Server = Daemon['servers'][number];
const SOURCE_KINDS = new Set(['server', 'pool', 'peer']);

/** chrony.conf / ntp.conf directives: `server|pool|peer HOST [options]`, plus chrony's include, confdir and sourcedir. */
export function parseNtpStyleConf(
  text: string,
  file: string,
): { servers: Server[]; include: string[]; confdir: string[]; sourcedir: string[] } {
  const out = { servers: [] as Server[], include: [] as string[], confdir: [] as string[], sourcedir: [] as string[] };
  text.split('\n').forEach((raw, i) => {
    const w = raw
      .replace(/[#!;%].*$/, '')
      .trim()
      .split(/\s+/);
    const [kw, ...rest] = w;
    if (!kw || rest.length === 0) return;
    const k = kw.toLowerCase();
    if (SOURCE_KINDS.has(k)) out.servers.push({ kind: k, host: rest[0] as string, options: rest.slice(1), file, line: i + 1 });
    else if (k === 'include') out.include.push(rest[0] as string);
    else if (k === 'confdir') out.confdir.push(...rest);
    else if (k === 'sourcedir') out.sourcedir.push(...rest);
  });
  return out;
}
