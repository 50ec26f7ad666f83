import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/helper';
import { appendAudit, verifyAudit } from './repository';

const tdb = await freshDatabase();
const db = await tdb.open();

describe('the audit trail', () => {
  it('verifies an untouched chain', async () => {
    for (const action of ['login', 'waiver.create', 'token.create'])
      await appendAudit(db.prisma, { actor: 'user:a@example.com', action, details: { n: 1 } });
    expect(await verifyAudit(db.prisma)).toEqual({ ok: true, entries: 3, head: '3', checkpoints: 0 });
  });

  it('refuses updates and deletes', async () => {
    await expect(db.sql.query('UPDATE audit_entries SET actor = $1', ['mallory'])).rejects.toThrow(/append-only/);
    await expect(db.sql.query('DELETE FROM audit_entries')).rejects.toThrow(/append-only/);
  });

  it('names the entry after a removed one, and an altered one', async () => {
    await db.sql.exec(
      'ALTER TABLE audit_entries DISABLE TRIGGER ALL; DELETE FROM audit_entries WHERE seq = 2; ALTER TABLE audit_entries ENABLE TRIGGER ALL;',
    );
    const removed = await verifyAudit(db.prisma);
    expect(removed).toMatchObject({ ok: false, seq: '3' });
    await db.sql.exec(
      'ALTER TABLE audit_entries DISABLE TRIGGER ALL; UPDATE audit_entries SET details = \'{"n":2}\' WHERE seq = 1; ALTER TABLE audit_entries ENABLE TRIGGER ALL;',
    );
    const altered = await verifyAudit(db.prisma);
    expect(altered).toMatchObject({ ok: false, seq: '1', reason: expect.stringMatching(/altered/) });
    await db.close();
    await tdb.drop();
  });
});
