import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AGENT_CREDENTIAL } from '@plumbline/protocol/limits';
import { readSafely } from '../state/safe-fs';
import { parseAgentConfig } from './config-file';
import { CONFIG_PATH, STATE_DIR, UNIT_NAME, UNIT_PATH, under } from './paths';
import { readStatusFile, type AgentStatus } from './status-file';
import { hostSystemctl, type Systemctl } from './systemd';

export interface StatusReport {
  config: { path: string; present: boolean; error: string | null; server: string | null };
  credential: boolean;
  /** Enrollment token still in the config (the agent has not enrolled yet). */
  tokenStored: boolean;
  unit: { path: string; present: boolean; enabled: string | null; active: string | null };
  spool: { messages: number; bytes: number; dropped: number | null };
  agent: AgentStatus | null;
}

/** Counts the spool from disk: right even when the agent is stopped or never wrote a status. */
async function spoolOnDisk(dir: string): Promise<{ messages: number; bytes: number }> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^\d{16}\.json$/.test(n));
  let bytes = 0;
  for (const n of names) bytes += (await stat(path.join(dir, n)).catch(() => null))?.size ?? 0;
  return { messages: names.length, bytes };
}

export async function collectStatus(prefix: string | undefined, systemctl: Systemctl = hostSystemctl): Promise<StatusReport> {
  const root = prefix ? path.resolve(prefix) : '/';
  const cfgPath = under(root, CONFIG_PATH);
  const text = await readFile(cfgPath, 'utf8').catch(() => null);
  const parsed = text === null ? null : parseAgentConfig(text);
  const cfg = parsed?.success ? parsed.data : null;
  const stateDir = under(root, cfg?.state_dir ?? STATE_DIR);
  // As the agent reads it: a link or a value it would refuse does not count as enrolled.
  const cred = await readSafely(path.join(stateDir, 'credential'), 64 * 1024);
  const credential = cred.ok && AGENT_CREDENTIAL.test(cred.text.trim());
  const unitPath = under(root, UNIT_PATH);
  const systemd = root === '/' && systemctl.running();
  const ask = async (verb: string) => (systemd ? (await systemctl.run([verb, UNIT_NAME])).out.split('\n')[0] || null : null);
  const agent = await readStatusFile(stateDir);
  return {
    config: { path: cfgPath, present: text !== null, error: parsed && !parsed.success ? parsed.error : null, server: cfg?.server ?? null },
    credential,
    tokenStored: cfg?.token !== undefined,
    unit: {
      path: unitPath,
      present: (await stat(unitPath).catch(() => null)) !== null,
      enabled: await ask('is-enabled'),
      active: await ask('is-active'),
    },
    spool: { ...(await spoolOnDisk(path.join(stateDir, 'spool'))), dropped: agent?.spoolDropped ?? null },
    agent,
  };
}

function ago(iso: string | null | undefined, now: Date): string {
  if (!iso) return 'never';
  const s = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  const span = s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
  return `${iso} (${span} ago)`;
}

/** The report as aligned `key: value` lines; `healthy` is false when the agent cannot run. */
export function formatStatus(r: StatusReport, now = new Date()): { text: string; healthy: boolean } {
  const cfg = !r.config.present ? 'missing (run `plumbline-agent install`)' : r.config.error ? `invalid: ${r.config.error}` : 'ok';
  const a = r.agent;
  const rows: [string, string][] = [
    ['config', `${r.config.path}: ${cfg}`],
    ['server', r.config.server ?? '-'],
    [
      'credential',
      r.credential ? 'present (enrolled)' : r.tokenStored ? 'absent; enrollment token stored, enrolls on first connect' : 'absent',
    ],
    ['unit', `${r.unit.path}: ${r.unit.present ? 'present' : 'missing'}`],
  ];
  if (r.unit.enabled !== null) rows.push(['service', `${r.unit.enabled}, ${r.unit.active ?? 'unknown'}`]);
  rows.push(
    ['connected', a ? `${a.connected ? 'yes' : 'no'} (as of ${a.updatedAt})` : 'unknown (the agent has not written a status yet)'],
    ['last connected', ago(a?.lastConnectedAt, now)],
    ['last message', a?.lastMessageAt ? `${a.lastMessageType ?? 'message'} at ${ago(a.lastMessageAt, now)}` : 'never'],
    ['spool', `${r.spool.messages} message(s), ${r.spool.bytes} bytes waiting; ${r.spool.dropped ?? 0} dropped`],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  const healthy = r.config.present && !r.config.error && (r.credential || r.tokenStored);
  return { text: rows.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join('\n'), healthy };
}
