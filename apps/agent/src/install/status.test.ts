import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install } from './install';
import { collectStatus, formatStatus } from './status';
import { readStatusFile, StatusFile } from './status-file';
import type { Systemctl } from './systemd';

let prefix: string;
const stateDir = () => path.join(prefix, 'var/lib/plumbline');
const noSystemd: Systemctl = { running: () => false, version: async () => null, run: async () => ({ code: 1, out: '' }) };

beforeEach(async () => {
  prefix = await mkdtemp(path.join(tmpdir(), 'plumbline-status-'));
});
afterEach(() => rm(prefix, { recursive: true, force: true }));

describe('status', () => {
  it('says when nothing is installed, and is then unhealthy', async () => {
    const { text, healthy } = formatStatus(await collectStatus(prefix, noSystemd));
    expect(text).toMatch(/config:\s+\S+agent.yaml: missing/);
    expect(healthy).toBe(false);
  });

  it('reports the credential, the spool on disk and what the running agent last wrote', async () => {
    await install({ server: 'https://p.example.test', token: 't', prefix, start: false, interval: '30s', command: ['/x'] });
    await writeFile(path.join(stateDir(), 'credential'), `pla_${'x'.repeat(43)}\n`);
    await mkdir(path.join(stateDir(), 'spool'));
    await writeFile(path.join(stateDir(), 'spool/0000000000000007.json'), '{"seq":7}');
    await writeFile(path.join(stateDir(), 'spool/0000000000000008.json.tmp'), 'half');
    const status = new StatusFile(stateDir(), 5000, () => new Date('2026-11-22T10:00:00Z'));
    status.update({
      connected: true,
      lastConnectedAt: '2026-11-22T09:59:00Z',
      lastMessageAt: '2026-11-22T09:59:30Z',
      lastMessageType: 'digest',
      spoolDropped: 3,
    });
    await status.flush();

    const report = await collectStatus(prefix, noSystemd);
    expect(report.spool).toEqual({ messages: 1, bytes: 9, dropped: 3 });
    const { text, healthy } = formatStatus(report, new Date('2026-11-22T10:00:00Z'));
    expect(healthy).toBe(true);
    expect(text).toMatch(/credential:\s+present \(enrolled\)/);
    expect(text).toMatch(/connected:\s+yes/);
    expect(text).toMatch(/last message:\s+digest at 2026-11-22T09:59:30Z \(30s ago\)/);
    expect(text).toMatch(/spool:\s+1 message\(s\), 9 bytes waiting; 3 dropped/);
  });

  it('shows a broken config as invalid with the reason', async () => {
    await mkdir(path.join(prefix, 'etc/plumbline'), { recursive: true });
    await writeFile(path.join(prefix, 'etc/plumbline/agent.yaml'), 'server: ftp://x\nbogus: 1\n');
    const { text, healthy } = formatStatus(await collectStatus(prefix, noSystemd));
    expect(text).toMatch(/invalid: .*server: must be an http\(s\) URL/);
    expect(text).toMatch(/file: Unrecognized key: "bogus"/);
    expect(healthy).toBe(false);
  });
});

describe('StatusFile', () => {
  it('coalesces updates but writes a connection change at once', async () => {
    let now = 0;
    const file = new StatusFile(prefix, 60_000, () => new Date(now));
    await file.flush();
    now = 1000;
    file.update({ lastMessageType: 'digest' });
    await new Promise((r) => setTimeout(r, 20));
    expect((await readStatusFile(prefix))?.lastMessageType).toBeNull();
    file.update({ connected: true });
    await new Promise((r) => setTimeout(r, 20));
    await file.flush();
    expect(await readStatusFile(prefix)).toMatchObject({ connected: true, lastMessageType: 'digest', pid: process.pid });
  });
});
