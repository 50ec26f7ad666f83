import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { collect } from './index';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

function hasSs(): boolean {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('listening_sockets on fixture trees', () => {
  it('joins listeners to process, unit, executable and package (Debian 12)', async () => {
    const sockets = await collect(rootContext(fixtureRoot('debian12-default')));
    expect(sockets).toEqual([
      {
        protocol: 'tcp',
        address: '0.0.0.0',
        port: 22,
        inode: 18231,
        uid: 0,
        pid: 612,
        process: 'sshd',
        executable: '/usr/sbin/sshd',
        unit: 'ssh.service',
        package: 'openssh-server',
      },
      {
        protocol: 'tcp6',
        address: '::',
        port: 22,
        inode: 18242,
        uid: 0,
        pid: 612,
        process: 'sshd',
        executable: '/usr/sbin/sshd',
        unit: 'ssh.service',
        package: 'openssh-server',
      },
      // dpkg lists /sbin/dhclient; with merged /usr it runs as /usr/sbin/dhclient.
      {
        protocol: 'udp',
        address: '0.0.0.0',
        port: 68,
        inode: 15502,
        uid: 0,
        pid: 498,
        process: 'dhclient',
        executable: '/usr/sbin/dhclient',
        unit: 'ifup@eth0.service',
        package: 'isc-dhcp-client',
      },
      {
        protocol: 'udp',
        address: '127.0.0.1',
        port: 323,
        inode: 16320,
        uid: 0,
        pid: 530,
        process: 'chronyd',
        executable: '/usr/sbin/chronyd',
        unit: 'chrony.service',
        package: 'chrony',
      },
      {
        protocol: 'udp6',
        address: '::1',
        port: 323,
        inode: 16321,
        uid: 0,
        pid: 530,
        process: 'chronyd',
        executable: '/usr/sbin/chronyd',
        unit: 'chrony.service',
        package: 'chrony',
      },
    ]);
  });

  it('reports the MQTT broker on 1883, 8883, 8083 and 8084 owned by its parent process', async () => {
    const sockets = await collect(rootContext(fixtureRoot('edge-mqtt')));
    const tcp = sockets.filter((s) => s.protocol === 'tcp' || s.protocol === 'tcp6');
    expect([...new Set(tcp.map((s) => s.port))]).toEqual([22, 1883, 2022, 8083, 8084, 8883]);
    const broker = tcp.filter((s) => s.process === 'mosquitto');
    expect(broker).toHaveLength(8);
    expect(new Set(broker.map((s) => `${s.pid} ${s.unit} ${s.package}`))).toEqual(new Set(['812 mosquitto.service mosquitto']));
    // The established client connection and the connected UDP socket are not listeners.
    expect(sockets.find((s) => s.inode === 60200 || s.inode === 60301)).toBeUndefined();
  });

  it('includes the 0.0.0.0:2222 line and the v6 wildcard and loopback listeners', async () => {
    const sockets = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(sockets.map((s) => `${s.protocol} ${s.address} ${s.port}`)).toEqual([
      'tcp 0.0.0.0 2222',
      'tcp6 ::1 25',
      'tcp6 :: 2222',
      'udp 127.0.0.1 323',
    ]);
    expect(sockets.find((s) => s.port === 25)).toMatchObject({ pid: null, process: null, unit: null, package: null });
  });

  it('leaves owners null when the tree has no /proc/<pid> snapshot', async () => {
    const sockets = await collect(rootContext(fixtureRoot('ubuntu-2404')));
    expect(sockets.length).toBe(2);
    for (const s of sockets) expect([s.pid, s.process, s.executable, s.unit, s.package]).toEqual([null, null, null, null, null]);
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING without /proc/net', async () => {
    await withTree({ 'etc/hostname': 'x\n' }, async (root) => {
      await expect(collect(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING' });
    });
  });
});

describe.skipIf(!hasSs())('listening_sockets on this machine', () => {
  it('reports the same TCP listening ports as ss -tlnH', async () => {
    const ss = execFileSync('ss', ['-tlnH'], { encoding: 'utf8', env: { LC_ALL: 'C', PATH: process.env.PATH } });
    const want = new Set(
      ss
        .split('\n')
        .filter(Boolean)
        .map((l) => Number((l.trim().split(/\s+/)[3] ?? '').replace(/.*:/, ''))),
    );
    const sockets = await collect({ root: '/', live: true, log: pino({ level: 'silent' }) });
    const got = new Set(sockets.filter((s) => s.protocol.startsWith('tcp')).map((s) => s.port));
    expect([...got].sort((a, b) => a - b)).toEqual([...want].sort((a, b) => a - b));
    // Owners agree with `ss -p`: our pid is one of the processes ss names for that inode.
    const owners = new Map<number, Set<number>>();
    for (const line of execFileSync('ss', ['-tlnpeH'], { encoding: 'utf8' }).split('\n')) {
      const ino = /ino:(\d+)/.exec(line);
      if (ino) owners.set(Number(ino[1]), new Set([...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]))));
    }
    for (const s of sockets.filter((x) => x.protocol.startsWith('tcp'))) {
      const pids = owners.get(s.inode) ?? new Set<number>();
      if (s.pid === null) expect(pids.size, `port ${s.port}`).toBe(0);
      else expect(pids.has(s.pid), `port ${s.port}`).toBe(true);
    }
  });

  it('finds the same owners from where it found them before, and after the kept places go stale', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-cache-'));
    vi.stubEnv('PLUMBLINE_CACHE_DIR', dir);
    try {
      const live = { root: '/', live: true, log: pino({ level: 'silent' }) };
      const first = await collect(live);
      const file = path.join(dir, 'socket-owners.json');
      const kept = JSON.parse(readFileSync(file, 'utf8')) as { value: { places: [number, [number, number]][]; unowned: unknown } };
      expect(kept.value.places.length).toBe(first.filter((s) => s.pid !== null).length);
      expect(await collect(live)).toEqual(first);
      // Every kept place pointing at the wrong descriptor, or a damaged file: searched for again.
      const wrong = kept.value.places.map(([inode, [pid]]) => [inode, [pid, 99999]]);
      writeFileSync(file, JSON.stringify({ stamp: '1', value: { ...kept.value, places: wrong } }));
      expect(await collect(live)).toEqual(first);
      writeFileSync(file, JSON.stringify({ stamp: '1', value: { places: 'none' } }));
      expect(await collect(live)).toEqual(first);
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
