import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { factsDigest } from '@plumbline/protocol/digest';
import { parseAgentMessage, type SequencedAgentMessage } from '@plumbline/protocol/messages';
import type { Facts } from '@plumbline/protocol/facts';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { openDatabase } from '../src/db/open';
import { hello, hostFacts, snapshot, sysctl, TestAgent } from './agent-client';
import { buildOn, freshDatabase } from './helper';

/**
 * A host's facts are stored one row per top-level fact (host_fact_values): an ingest in which
 * one fact changed writes that row only. Databases from before the split are moved over by
 * their migration, and the first ingest after it still finds exactly what changed.
 */
const SPLIT = '20261204200719_host_fact_values';
const oldHostId = randomUUID();
const kernelConfig = { file: '/boot/config-6.1.0', release: '6.1.0', options: { CONFIG_MODULE_SIG: 'y', CONFIG_KEXEC: null } };
const oldFacts = { ...hostFacts('from-before'), sysctl, kernel_config: kernelConfig } as Facts;

const tdb = await freshDatabase();
{
  // The database as the release before the split left it: one host with one stored document.
  const before = await mkdtemp(path.join(tmpdir(), 'plumbline-migrations-'));
  for (const name of await readdir(tdb.config.migrationsDir)) {
    if (name < SPLIT) await cp(path.join(tdb.config.migrationsDir, name), path.join(before, name), { recursive: true });
  }
  const old = await openDatabase({ ...tdb.config, migrationsDir: before, log: pino({ level: 'silent' }) });
  const credentialId = randomUUID();
  await old.sql.query(`INSERT INTO agent_credentials (id, prefix, secret_hash) VALUES ($1, 'plb_agent_x', $2)`, [
    credentialId,
    randomUUID(),
  ]);
  await old.sql.query(`INSERT INTO hosts (id, credential_id, hostname, last_seq, facts_digest) VALUES ($1, $2, 'from-before', 1, $3)`, [
    oldHostId,
    credentialId,
    factsDigest(oldFacts, {}),
  ]);
  await old.sql.query(
    `INSERT INTO host_facts (host_id, facts, digest, observed_at, received_at) VALUES ($1, $2::jsonb, $3, now(), now())`,
    [oldHostId, JSON.stringify(oldFacts), factsDigest(oldFacts, {})],
  );
  await old.close();
  await rm(before, { recursive: true, force: true });
}
const { app, db, url } = await buildOn(tdb);
const headers = { authorization: `Bearer ${await createApiKey(db, 'facts', 'admin')}` };

const rows = (hostId: string) =>
  db.sql.query<{ fact: string; digest: string | null; version: string }>(
    'SELECT fact, digest, xmin::text AS version FROM host_fact_values WHERE host_id = $1 ORDER BY fact',
    [hostId],
  );
const parsed = (msg: ReturnType<typeof snapshot>): SequencedAgentMessage => {
  const p = parseAgentMessage(JSON.stringify(msg));
  if (!p.success || p.data.type === 'hello') throw new Error('bad test message');
  return p.data;
};
const changedPaths = async (hostId: string) =>
  (
    (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/changes?limit=100`, headers })).json() as {
      items: { path: string; op: string }[];
    }
  ).items
    .map((c) => `${c.op} ${c.path}`)
    .sort();

describe('facts stored before the split into one row per fact', () => {
  it('are moved by the migration and served whole', async () => {
    expect((await rows(oldHostId)).map((r) => [r.fact, r.digest])).toEqual([
      ['host', null],
      ['kernel_config', null],
      ['sshd_config', null],
      ['sysctl', null],
    ]);
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${oldHostId}`, headers })).json();
    expect(detail.facts).toEqual(oldFacts);
  });

  it('are compared by value at the next snapshot: only the change is recorded, and every fact gets its digest', async () => {
    const next = { ...oldFacts, sshd_config: hostFacts('from-before', 'yes').sshd_config } as Facts;
    expect(await app.ingest.handle(oldHostId, parsed(snapshot(2, next)))).toEqual({ type: 'ack', seq: 2 });
    expect(await changedPaths(oldHostId)).toEqual([
      'replace sshd_config.settings.permitrootlogin.args',
      'replace sshd_config.settings.permitrootlogin.value',
    ]);
    expect((await rows(oldHostId)).every((r) => r.digest !== null)).toBe(true);
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${oldHostId}`, headers })).json();
    expect(detail.facts).toEqual(next);
    expect(detail.counts.fail).toBeGreaterThan(0);
  });
});

describe('a snapshot in which one fact changed', () => {
  it('rewrites that fact alone, and removes a fact the host no longer reports', async () => {
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'rows' }));
    agent.send(hello('rows-1'));
    const { hostId } = (await agent.next('welcome')).payload;
    const first = { ...hostFacts('rows-1', 'no'), sysctl } as Facts;
    agent.send(snapshot(1, first));
    await agent.next('ack');
    const stored = await rows(hostId);
    expect(stored.map((r) => r.fact)).toEqual(['host', 'sshd_config', 'sysctl']);

    const { sysctl: _dropped, ...rest } = first as Facts & { sysctl: unknown };
    const second = { ...rest, sshd_config: hostFacts('rows-1', 'yes').sshd_config } as Facts;
    agent.send(snapshot(2, second));
    await agent.next('ack');
    const after = await rows(hostId);
    expect(after.map((r) => r.fact)).toEqual(['host', 'sshd_config']);
    // A row's xmin is the transaction that last wrote it: host was left alone.
    expect(after.find((r) => r.fact === 'host')!.version).toBe(stored.find((r) => r.fact === 'host')!.version);
    expect(after.find((r) => r.fact === 'sshd_config')!.version).not.toBe(stored.find((r) => r.fact === 'sshd_config')!.version);
    expect(await changedPaths(hostId)).toEqual([
      'remove sysctl',
      'replace sshd_config.settings.permitrootlogin.args',
      'replace sshd_config.settings.permitrootlogin.value',
    ]);
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json();
    expect(detail.facts).toEqual(second);
    agent.close();
  });
});
