import { execFileSync } from 'node:child_process';
import { appendFile, chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Facts } from '@plumbline/protocol/facts';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, snapshot, TestAgent } from './agent-client';
import type { TestApp } from './helper';
import { makeHostRoot } from './host-root';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = path.join(REPO, 'apps/agent/fixtures/hosts');
const AGENT_CLI = path.join(REPO, 'apps/agent/dist/cli.js');
export const LONG_HOST = 'a-host-with-a-rather-long-name-for-wrapping.example.internal';

/** The facts the built agent collects from a tree (`plumbline-agent facts --root`). */
function collect(root: string): Facts {
  const out = execFileSync(process.execPath, [AGENT_CLI, 'facts', '--root', root], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const { errors: _errors, ...facts } = JSON.parse(out) as Facts & { errors: unknown };
  return facts as Facts;
}

/**
 * Every fixture host tree (with the file modes git cannot keep), plus one host whose name and
 * sshd settings are long enough to wrap in any table, collected by the real agent.
 */
async function fixtureFacts(): Promise<Facts[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'plumbline-fleet-'));
  try {
    const modes = (await readFile(path.join(FIXTURES, '../modes.txt'), 'utf8')).split('\n');
    const all: Facts[] = [];
    for (const name of (await readdir(FIXTURES)).sort()) {
      const root = path.join(work, name);
      await cp(path.join(FIXTURES, name), root, { recursive: true, verbatimSymlinks: true });
      for (const line of modes) {
        const m = /^([0-7]{3,4}) (\S+?)\/(.+)$/.exec(line);
        if (m && m[2] === name) await chmod(path.join(root, m[3] as string), parseInt(m[1] as string, 8));
      }
      all.push(collect(root));
    }
    const long = path.join(work, 'long');
    await makeHostRoot(long, LONG_HOST);
    await writeFile(
      path.join(long, 'etc/os-release'),
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm) with a site-specific hardened build and long name"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    );
    await appendFile(
      path.join(long, 'etc/ssh/sshd_config'),
      'Banner /etc/issue.net\nCiphers aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr\n',
    );
    all.push(collect(long));
    return all;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The fixture fleet on a test server: seven hosts in group `fixtures`, two waivers in force (one
 * for a host, one for the group), and a month of fleet score samples so the trend has a past.
 */
export async function seedFixtureFleet(t: TestApp): Promise<{ admin: string; hosts: Record<string, string> }> {
  const admin = await createApiKey(t.db, 'fleet-admin', 'admin');
  const hosts: Record<string, string> = {};
  for (const facts of await fixtureFacts()) {
    const name = facts.host?.hostname ?? 'unknown';
    const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name, group: 'fixtures' }));
    agent.send(hello(name));
    hosts[name] = (await agent.next('welcome')).payload.hostId;
    agent.send(snapshot(1, facts));
    await agent.next('ack', 20_000);
    agent.close();
  }
  const waive = async (ruleId: string, scope: { type: string; id: string }, justification: string) => {
    const res = await fetch(`${t.url}/api/v1/waivers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ruleId, scope, justification, expiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString() }),
    });
    // Read to the end, so the connection is idle again and the server can close.
    const body = await res.text();
    if (res.status !== 201) throw new Error(`waiver: ${res.status} ${body}`);
  };
  await waive(
    'plb-fs-module-cramfs-disabled',
    { type: 'group', id: 'fixtures' },
    'cramfs is needed by the firmware update tooling until its replacement ships',
  );
  await waive(
    'plb-fs-tmp-separate-partition',
    { type: 'host', id: hosts['deb12-default'] as string },
    'single-partition image; rebuilt with a separate /tmp in the next release',
  );
  const day = 86_400_000;
  for (const [ago, score] of [
    [28, 48.5],
    [21, 52.0],
    [14, 55.2],
    [7, 58.9],
  ] as const) {
    await t.db.prisma.$executeRawUnsafe(
      `INSERT INTO score_samples (at, scope, scope_id, score, score_waived, hosts) VALUES ($1, 'fleet', '', $2, $3, 7)`,
      new Date(Date.now() - ago * day),
      score,
      score + 0.8,
    );
  }
  return { admin, hosts };
}
