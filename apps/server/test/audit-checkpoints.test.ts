import { generateKeyPairSync, sign } from 'node:crypto';
import { appendFile, copyFile, readFile, rename } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { checkpointFile, checkpointMessage, type Checkpoint } from '../src/audit/checkpoint';
import { entryHash } from '../src/audit/trail';
import { appendAudit, appendAuditInTx, verifyAudit } from '../src/audit/repository';
import type { Database } from '../src/db/open';
import { memoryBus } from '../src/live/bus';
import { cliEnv, runCli } from './cli-process';
import { freshDatabase } from './helper';

/**
 * The audit chain against someone who can write to the database: rows rewritten with every
 * hash recomputed, the newest rows deleted (triggers off, as a superuser can). The chain alone
 * still holds; the signed checkpoints the server wrote outside the database do not. Checked
 * with the real `plumbline audit verify`, a separate process, after the server has stopped.
 */
const tdb = await freshDatabase();
const env = cliEnv(tdb.config);
const log = pino({ level: 'silent' });
afterAll(() => tdb.drop());

async function withServer<T>(fn: (app: FastifyInstance, db: Database) => Promise<T>, overrides = {}): Promise<T> {
  const db = await tdb.open();
  const app = await buildApp({ config: { ...tdb.config, ...overrides }, db, bus: memoryBus(), log });
  await app.ready();
  try {
    return await fn(app, db);
  } finally {
    await app.close();
    await db.close();
  }
}
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await tdb.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
const auditVerify = (...args: string[]) => runCli(['audit', 'verify', ...args], env);
const tampered = (db: Database, sql: string) =>
  db.sql.withSession((s) => s.exec(`SET session_replication_role = replica; ${sql}; SET session_replication_role = origin;`));
const lines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Checkpoint);

let file = '';
let keyId = '';
const entry = (n: number) => ({ actor: 'user:a@example.com', action: 'token.create', target: `t${n}`, details: { n } });

// Each test opens the embedded database and runs the CLI process: slow on a busy machine.
describe('signed audit checkpoints', { timeout: 120_000 }, () => {
  it('are written at start, periodically when the head moved, and at shutdown, outside the database', async () => {
    await withServer(
      async (app, db) => {
        keyId = app.signingKey.keyId;
        file = checkpointFile(tdb.config.dataDir, keyId);
        for (let n = 1; n <= 4; n++) await appendAudit(db.prisma, entry(n));
        expect(await app.auditCheckpoint('test')).toMatchObject({ seq: expect.any(String), entries: 4, keyId });
        expect(await app.auditCheckpoint('test')).toBeNull(); // the head did not move
        // In one transaction, so that the head moves from 4 to 8 at once (no periodic checkpoint between).
        await db.prisma.$transaction(async (tx) => {
          for (let n = 5; n <= 8; n++) await appendAuditInTx(tx, entry(n));
        });
        // The periodic checkpoint (every second here) catches the moved head by itself.
        for (let i = 0; i < 100 && (await lines(file)).at(-1)?.entries !== 8; i++) await new Promise((r) => setTimeout(r, 100));
        expect((await lines(file)).at(-1)?.entries).toBe(8);
        for (let n = 9; n <= 12; n++) await appendAudit(db.prisma, entry(n));
      },
      { auditCheckpointSeconds: 1 },
    );
    const written = await lines(file);
    expect(written.at(-1)).toMatchObject({ entries: 12, keyId, format: 'plumbline-audit-checkpoint' });
    const r = await auditVerify();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/audit chain intact: 12 entries.*matching \d+ signed checkpoint/);
  });

  it('a forged or altered checkpoint line is reported, exit 1', async () => {
    const copy = `${file}.forged`;
    await copyFile(file, copy);
    const last = (await lines(file)).at(-1) as Checkpoint;
    // Claims more entries than there are, signed with a key that is not the server's.
    const body = { keyId, seq: String(BigInt(last.seq) + 5n), hash: 'f'.repeat(64), entries: 17, at: new Date().toISOString() };
    const forged = {
      format: 'plumbline-audit-checkpoint',
      version: 1,
      ...body,
      signature: sign(null, checkpointMessage(body), generateKeyPairSync('ed25519').privateKey).toString('base64'),
    };
    await appendFile(copy, `${JSON.stringify(forged)}\n${JSON.stringify({ ...last, entries: 3 })}\n`);
    const r = await auditVerify('--checkpoints', copy);
    expect(r.code).toBe(1);
    const n = (await lines(file)).length;
    expect(r.stderr).toContain(`${copy}:${n + 1} rejected: its signature does not verify with the server key`);
    expect(r.stderr).toContain(`${copy}:${n + 2} rejected`);
  });

  it('the newest 3 entries deleted are detected, naming the first missing one; put back, the chain verifies again', async () => {
    const removed = await withDb(async (db) => {
      const rows = await db.sql.query<{ s: string }>('SELECT seq::text AS s FROM audit_entries ORDER BY seq DESC LIMIT 3');
      await db.sql.exec('CREATE TABLE audit_backup AS SELECT * FROM audit_entries');
      await tampered(db, 'DELETE FROM audit_entries WHERE seq IN (SELECT seq FROM audit_entries ORDER BY seq DESC LIMIT 3)');
      expect(await verifyAudit(db.prisma)).toMatchObject({ ok: true, entries: 9 }); // the chain alone cannot tell
      return rows.map((x) => BigInt(x.s)).sort((a, b) => (a < b ? -1 : 1));
    });
    const r = await auditVerify();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `audit chain broken at entry #${removed[0]}: the chain ends at #${(removed[0] as bigint) - 1n} with 9 entries`,
    );
    expect(r.stderr).toMatch(/newest entries were removed/);
    await withDb((db) =>
      tampered(db, 'INSERT INTO audit_entries SELECT * FROM audit_backup WHERE seq NOT IN (SELECT seq FROM audit_entries)'),
    );
    expect((await auditVerify()).code).toBe(0);
  });

  it('entries rewritten with the chain recomputed are detected, naming where the change begins', async () => {
    const first = await withDb(async (db) => {
      const rows = await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' } });
      // Entries 5-8 lie between the checkpoint at 4 entries and the one at 8: rewrite the 6th.
      let prevHash = (rows[4] as { prevHash: string }).prevHash;
      const script: string[] = [];
      rows.slice(4).forEach((e, i) => {
        const details = i === 1 ? { n: 'rewritten' } : e.details;
        const hash = entryHash(prevHash, { ...e, details });
        script.push(
          `UPDATE audit_entries SET details = '${JSON.stringify(details)}', prev_hash = '${prevHash}', hash = '${hash}' WHERE seq = ${e.seq}`,
        );
        prevHash = hash;
      });
      await tampered(db, script.join('; '));
      expect(await verifyAudit(db.prisma)).toMatchObject({ ok: true, entries: 12 }); // the chain alone cannot tell
      return (rows[4] as { seq: bigint }).seq;
    });
    const r = await auditVerify();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`audit chain broken at entry #${first}: entry #${first + 3n} has another hash`);
  });

  it('without a checkpoint file, says that only the chain was checked and truncation cannot be detected', async () => {
    await rename(file, `${file}.away`);
    const r = await auditVerify();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chain only/);
    expect(r.stderr).toMatch(/no audit checkpoint file .*removing the newest entries cannot be detected/);
  });
});
