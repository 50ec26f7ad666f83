import type { Database } from '../src/db/open';

/**
 * Row counts of every table, in one query: a cheap fingerprint for "a refused request stored
 * nothing". Counts, not contents: updates of bookkeeping columns (last seen, last used) are
 * allowed; a new or deleted row is not.
 */
export async function rowCounter(db: Database): Promise<{ tables: string[]; counts(): Promise<Record<string, number>> }> {
  const tables = (
    await db.prisma.$queryRawUnsafe<Array<{ tablename: string }>>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE '\\_prisma%' ORDER BY tablename`,
    )
  ).map((r) => r.tablename);
  const sql = `SELECT ${tables.map((name) => `(SELECT count(*) FROM "${name}")::int AS "${name}"`).join(', ')}`;
  return { tables, counts: async () => (await db.prisma.$queryRawUnsafe<Array<Record<string, number>>>(sql))[0]! };
}
