import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@plumbline/protocol/limits';
import { hostileServer, polite, runAgent, sleep, until, VALID_CREDENTIAL, type AgentProcess, type Hostile } from './hostile-server';

/**
 * The real agent process (the built CLI) against a server that misbehaves one way at a time.
 * Each scenario is one an attacker on the path, or a broken server, can play: the agent must
 * neither brick itself nor turn into a storm.
 */

let work: string;
const running: { agent?: AgentProcess; server?: Hostile }[] = [];

beforeAll(async () => {
  // The process under test is the bundle, built from this checkout's sources.
  if (!process.env.PLUMBLINE_AGENT_CLI)
    execFileSync(process.execPath, ['build.mjs'], { cwd: path.resolve(import.meta.dirname, '..'), stdio: 'ignore' });
  work = await mkdtemp(path.join(tmpdir(), 'plumbline-hostile-'));
}, 60_000);
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.agent?.stop();
    await r.server?.close();
  }
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function stateDir(name: string): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

const TOKEN = 'ple_hostile-network-test';

function start(server: Hostile, dir: string, extra: string[] = []): AgentProcess {
  const agent = runAgent(server.url, dir, ['--token', TOKEN, ...extra]);
  running.push({ agent, server });
  return agent;
}

async function filesUnder(dir: string): Promise<string> {
  const out: string[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const p = path.join(dir, name);
    // The agent is running: a spool file may go between the listing and the read.
    if ((await lstat(p).catch(() => null))?.isFile()) out.push(await readFile(p, 'utf8').catch(() => ''));
  }
  return out.join('\n');
}

describe('a welcome that would brick the agent', () => {
  it.each([
    ['CR/LF', 'abc\r\nX-Injected: 1'],
    ['an emoji', `pla_${'a'.repeat(40)}\u{1F600}`],
  ])('a credential with %s is refused, nothing stored, and the agent enrolls on the next connection', async (_what, bad) => {
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') conn.welcome({ credential: conn.n === 1 ? bad : VALID_CREDENTIAL });
      else if (msg.seq !== undefined) conn.ack(msg.seq);
    });
    const dir = await stateDir(`badcred-${_what.replace(/\W/g, '')}`);
    const agent = start(server, dir);
    await until('a snapshot on the second connection', () => server.of('snapshot').some((r) => r.conn === 2));
    expect(agent.child.exitCode).toBeNull();
    expect(agent.said(/refusing the server welcome/)).toHaveLength(1);
    const stored = await filesUnder(dir);
    expect(stored).not.toContain('X-Injected');
    expect(stored).not.toContain('\u{1F600}');
    expect((await readFile(path.join(dir, 'credential'), 'utf8')).trim()).toBe(VALID_CREDENTIAL);
    // The refused welcome gave nothing: the second upgrade still carries the enrollment token.
    expect(server.bearers).toEqual([TOKEN, TOKEN]);
  });

  it('starts from a state dir poisoned by an earlier release: the bad credential is set aside', async () => {
    const dir = await stateDir('poisoned');
    await writeFile(path.join(dir, 'credential'), 'abc\r\nX-Injected: 1\n', { mode: 0o600 });
    const server = await hostileServer(polite);
    const agent = start(server, dir);
    await until('a snapshot', () => server.of('snapshot').length > 0);
    expect(agent.child.exitCode).toBeNull();
    expect(server.bearers[0]).toBe(TOKEN);
    expect(await readdir(path.join(dir, 'quarantine'))).toEqual([expect.stringMatching(/-credential$/)]);
  });
});

describe('a spool entry that cannot be read', () => {
  it('is set aside, the rest is sent, and the next hello reports it as dropped', async () => {
    const dir = await stateDir('corrupt');
    await mkdir(path.join(dir, 'spool'));
    await writeFile(path.join(dir, 'spool/0000000000000009.json'), '{"version":2,"type":"snapsh');
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') conn.welcome({ credential: VALID_CREDENTIAL });
      // The first connection ends at the first ack: the second hello shows what was dropped.
      else if (msg.seq !== undefined) {
        conn.ack(msg.seq);
        if (conn.n === 1) conn.ws.close(1001, 'going away');
      }
    });
    start(server, dir);
    await until('a second hello', () => server.of('hello').length >= 2);
    expect(server.of('snapshot').length).toBeGreaterThanOrEqual(1);
    expect(server.of('hello').map((h) => h.payload?.spoolDropped)).toEqual([0, 1]);
    expect(await readdir(path.join(dir, 'spool'))).not.toContain('0000000000000009.json');
    expect(await readdir(path.join(dir, 'quarantine'))).toEqual([expect.stringMatching(/-0000000000000009\.json$/)]);
    // Numbers continue above the spooled one, so the server never takes a new message for a replay.
    expect(server.of('snapshot')[0]!.seq).toBeGreaterThan(9);
  });

  it('a corrupt state file is set aside and the agent carries on', async () => {
    const dir = await stateDir('corrupt-state');
    await writeFile(path.join(dir, 'state.json'), '{"hostId":"h-1","seq":');
    await writeFile(path.join(dir, 'status.json'), 'not json');
    const server = await hostileServer(polite);
    start(server, dir);
    await until('a snapshot', () => server.of('snapshot').length > 0);
    const aside = await readdir(path.join(dir, 'quarantine'));
    expect(aside.map((n) => n.replace(/^.*-/, '')).sort()).toEqual(['state.json', 'status.json']);
  });
});

describe('a server that drops the agent', () => {
  it('right after each welcome: the backoff keeps growing instead of starting over', async () => {
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') {
        conn.welcome({ credential: VALID_CREDENTIAL });
        setTimeout(() => conn.ws.close(1000, 'bye'), 50);
      } else if (msg.seq !== undefined) conn.ack(msg.seq);
    });
    const agent = start(server, await stateDir('welcomeclose'));
    await until('three disconnects', () => agent.said(/disconnected from the server/).length >= 3);
    // Full jitter draws each delay below a cap; the cap doubles while no connection proves healthy.
    expect(
      agent
        .said(/disconnected from the server/)
        .slice(0, 3)
        .map((l) => l.capMs),
    ).toEqual([1000, 2000, 4000]);
  });

  it.each([4429, 1013])('with close code %i: waits at least 30 s before trying again', async (code) => {
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') {
        conn.welcome({ credential: VALID_CREDENTIAL });
        conn.ws.close(code, 'slow down');
      }
    });
    const agent = start(server, await stateDir(`patience-${code}`));
    await until('the disconnect', () => agent.said(/disconnected from the server/).length >= 1);
    const [line] = agent.said(/disconnected from the server/);
    expect(line).toMatchObject({ code });
    expect(line!.retryInMs).toBeGreaterThanOrEqual(30_000);
    expect(server.upgrades).toBe(1);
  });
});

describe('a server evening out its replicas', () => {
  it('asks the agent to move: it is back within seconds every time, and its backoff does not grow', async () => {
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') {
        conn.welcome({ credential: VALID_CREDENTIAL });
        if (server.of('hello').length <= 3) setTimeout(() => conn.ws.close(CloseCode.rebalanced, 'move'), 20);
      } else if (msg.seq !== undefined) conn.ack(msg.seq);
    });
    const agent = start(server, await stateDir('rebalanced'));
    await until('a fourth hello', () => server.of('hello').length >= 4);
    const moves = agent.said(/asked this agent to reconnect to another replica/);
    expect(moves).toHaveLength(3);
    // Between the floor and 3 s each time, where a failing server's backoff would have reached 4 s and more.
    for (const m of moves) expect(m.retryInMs).toBeLessThanOrEqual(3000);
    expect(agent.said(/disconnected from the server/)).toEqual([]);
    // Connected and storing as before.
    await until('a snapshot', () => server.of('snapshot').length > 0);
  });
});

describe('a flood of resync requests', () => {
  it('is answered with at most one snapshot per interval, logged once per snapshot with a count', async () => {
    let floods = 0;
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') {
        conn.welcome({ credential: VALID_CREDENTIAL });
        const t = setInterval(() => {
          if (conn.ws.readyState !== conn.ws.OPEN) return clearInterval(t);
          floods++;
          for (let i = 0; i < 50; i++) conn.send({ version: 2, type: 'resync', payload: { reason: 'flood' } });
        }, 10);
      } else if (msg.seq !== undefined) conn.ack(msg.seq);
    });
    const agent = start(server, await stateDir('resync'));
    await until('the flood to start', () => floods > 0);
    const t0 = Date.now();
    await sleep(6000);
    const seconds = (Date.now() - t0) / 1000;
    // An upper bound only: a slow machine sends fewer, never more. Interval 2 s, plus the first snapshot.
    const snapshots = server.of('snapshot').length;
    expect(snapshots).toBeLessThanOrEqual(Math.ceil(seconds / 2) + 2);
    const asked = agent.said(/server asked for a full snapshot/);
    expect(asked.length).toBeLessThanOrEqual(snapshots);
    expect(asked.every((l) => (l.requests as number) >= 1)).toBe(true);
    expect(asked.reduce((n, l) => n + (l.requests as number), 0)).toBeGreaterThan(100);
  });
});

describe('state files and symlinks', () => {
  it('a planted credential.tmp link does not receive the credential', async () => {
    const dir = await stateDir('link-tmp');
    const target = path.join(work, 'planted-target');
    await writeFile(target, '', { mode: 0o644 });
    await symlink(target, path.join(dir, 'credential.tmp'));
    const server = await hostileServer(polite);
    start(server, dir);
    await until('a snapshot', () => server.of('snapshot').length > 0);
    expect(await readFile(target, 'utf8')).toBe('');
    expect((await readFile(path.join(dir, 'credential'), 'utf8')).trim()).toBe(VALID_CREDENTIAL);
    expect((await stat(path.join(dir, 'credential'))).mode & 0o077).toBe(0);
  });

  it('a credential link to another file is not sent as the bearer', async () => {
    const dir = await stateDir('link-cred');
    const other = path.join(work, 'other-secret');
    await writeFile(other, `pla_${'S'.repeat(43)}\n`, { mode: 0o600 });
    await symlink(other, path.join(dir, 'credential'));
    const server = await hostileServer(polite);
    start(server, dir);
    await until('a snapshot', () => server.of('snapshot').length > 0);
    expect(server.bearers[0]).toBe(TOKEN);
    expect(await readFile(other, 'utf8')).toBe(`pla_${'S'.repeat(43)}\n`);
  });

  it('a state dir that is a symlink, or writable by others, is refused with a clear message', async () => {
    const real = path.join(work, 'real-dir');
    await mkdir(real, { mode: 0o755 });
    await chmod(real, 0o755);
    const link = path.join(work, 'linked-state');
    await symlink(real, link);
    const server = await hostileServer(polite);
    const viaLink = start(server, link);
    expect(await viaLink.exited).toBe(1);
    expect(viaLink.stderr()).toMatch(/state directory .*linked-state is a symlink: refusing to use it/);
    expect((await stat(real)).mode & 0o777).toBe(0o755);

    const open = await stateDir('world-writable');
    await chmod(open, 0o777);
    const loose = start(server, open);
    expect(await loose.exited).toBe(1);
    expect(loose.stderr()).toMatch(/is writable by (its group|others) \(mode 777\): refusing to use it; chmod 700/);
    expect(server.upgrades).toBe(0);
  });
});

describe('sequence numbers from the server', () => {
  /** A spool of three messages the server has not acknowledged, as left by an earlier run. */
  async function spooled(name: string): Promise<string> {
    const dir = await stateDir(name);
    await mkdir(path.join(dir, 'spool'));
    await writeFile(path.join(dir, 'credential'), `${VALID_CREDENTIAL}\n`, { mode: 0o600 });
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({ hostId: 'h-1', seq: 3 }));
    for (const seq of [1, 2, 3]) {
      const msg = { version: 2, type: 'digest', seq, payload: { observedAt: new Date(seq * 1000).toISOString(), digest: 'd'.repeat(43) } };
      await writeFile(path.join(dir, `spool/${String(seq).padStart(16, '0')}.json`), JSON.stringify(msg), { mode: 0o600 });
    }
    return dir;
  }

  it('an ack sent with the welcome waits for the replay; an ack of a number never sent is ignored', async () => {
    const dir = await spooled('seq-order');
    let first: { ws: { close(code: number, reason: string): void } } | undefined;
    const server = await hostileServer((conn, msg) => {
      if (msg.type !== 'hello') return;
      if (conn.n === 1) first = conn;
      // The welcome, an ack for everything spooled, and an ack far beyond anything sent, at once.
      conn.welcome({ lastSeq: 0 });
      conn.ack(3);
      conn.ack(2 ** 40);
    });
    const agent = start(server, dir);
    // Waited for, not timed: the spooled entries an earlier process left are checked in a helper first.
    await until(
      'the acknowledgement of a number never sent',
      () => agent.said(/acknowledgement of a sequence number never sent/).length > 0,
    );
    await until("the agent's own snapshot", () => server.of('snapshot').some((r) => r.conn === 1));
    // The replay ran before the ack: all three reached the server.
    expect(server.received.filter((r) => r.conn === 1 && r.seq !== undefined && r.seq <= 3).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(agent.said(/acknowledgement of a sequence number never sent/)[0]).toMatchObject({ seq: 2 ** 40 });
    // The bogus ack acknowledged nothing more: the agent's own snapshot is still spooled and sent again.
    first!.ws.close(1001, 'again');
    await until('the second hello', () => server.of('hello').length >= 2);
    const own = server.of('snapshot').filter((r) => r.conn === 1);
    expect(own).toHaveLength(1);
    await until('the replay on the second connection', () => server.received.some((r) => r.conn === 2 && r.seq === own[0]!.seq));
  });

  it('a welcome with lastSeq 2^53-1 is refused and the counter stays usable', async () => {
    const dir = await spooled('seq-huge');
    const server = await hostileServer((conn, msg) => {
      if (msg.type === 'hello') conn.welcome({ lastSeq: conn.n === 1 ? Number.MAX_SAFE_INTEGER : 3 });
      else if (msg.seq !== undefined) conn.ack(msg.seq);
    });
    const agent = start(server, dir);
    await until('a snapshot acknowledged', () => server.of('snapshot').length > 0 && agent.said(/connected/).length > 0);
    expect(agent.said(/refusing the server welcome/)[0]?.reason).toMatch(/lastSeq 9007199254740991 is beyond/);
    const snap = server.of('snapshot')[0]!;
    expect(snap.seq).toBe(4);
    expect(agent.said(/ignoring an acknowledgement/)).toEqual([]);
    expect(JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')).seq).toBeLessThan(100);
  });
});

describe('plain http', () => {
  it('the agent warns at start', async () => {
    const server = await hostileServer(polite);
    const agent = start(server, await stateDir('plain'));
    await until('the warning', () => agent.said(/plain http/).length > 0);
    expect(agent.said(/plain http/)[0]).toMatchObject({ level: 40 });
  });
});
