import type { Prisma } from '../generated/prisma/client';

/**
 * Bulk writes of one ingest, as set-based SQL (one `INSERT ... SELECT FROM unnest(...)`
 * per table) inside the caller's transaction: row-by-row inserts are many times slower at
 * fleet scale. JSON values travel as text and are cast to jsonb in the database.
 */
export type Tx = Prisma.TransactionClient;

/** Where a write goes: the transaction itself, or a WriteBatch that sends many as one statement. */
export interface Writer {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Collects an ingest's writes and sends them as one statement (each a data-modifying CTE):
 * one round trip instead of up to eight. The writes touch different rows, so running them
 * against one snapshot, in no particular order, is what they need anyway.
 */
export class WriteBatch implements Writer {
  private parts: string[] = [];
  private values: unknown[] = [];

  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    const offset = this.values.length;
    this.parts.push(query.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`));
    this.values.push(...values);
    return Promise.resolve(0);
  }

  async flush(tx: Writer): Promise<void> {
    const [parts, values] = [this.parts, this.values];
    this.parts = [];
    this.values = [];
    if (!parts.length) return;
    const sql = parts.length === 1 ? parts[0]! : `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(',\n')}\nSELECT 1`;
    await tx.$executeRawUnsafe(sql, ...values);
  }
}

/** A JSON value as the text the SQL casts to jsonb. */
export const json = (v: unknown) => JSON.stringify(v ?? null);
