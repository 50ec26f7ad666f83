import type { Prisma } from '../generated/prisma/client';

/**
 * Bulk writes of ingests, as set-based SQL (one `INSERT ... SELECT FROM unnest(...)` per
 * table) inside the caller's transaction: row-by-row inserts are many times slower at fleet
 * scale. JSON values travel as text and are cast to jsonb in the database.
 */
export type Tx = Prisma.TransactionClient;

/** What runs a statement: the transaction. */
export interface Writer {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * One table's multi-row write: the rows of every host in a batch become one statement.
 * `statement` returns the SQL (parameters from $1) and its values, or null when the rows
 * write nothing.
 */
export interface BulkWrite<R> {
  readonly name: string;
  statement(rows: R[]): { sql: string; values: unknown[] } | null;
}

/**
 * Collects the writes of one or many ingests (rows per table, see BulkWrite) and sends them
 * as one statement, each table's write a data-modifying CTE: one round trip for a whole
 * batch of hosts. The writes touch different rows (a batch holds one message per host), so
 * running them against one snapshot, in no particular order, is what they need anyway.
 */
export class WriteBatch {
  private rows = new Map<BulkWrite<unknown>, unknown[]>();

  add<R>(kind: BulkWrite<R>, rows: readonly R[]): void {
    if (!rows.length) return;
    const list = this.rows.get(kind as BulkWrite<unknown>);
    if (list) list.push(...rows);
    else this.rows.set(kind as BulkWrite<unknown>, [...rows]);
  }

  /** Takes over another batch's rows (one message's writes, once it was judged without error). */
  merge(other: WriteBatch): void {
    for (const [kind, rows] of other.rows) this.add(kind, rows);
    other.rows.clear();
  }

  get empty(): boolean {
    return this.rows.size === 0;
  }

  async flush(tx: Writer): Promise<void> {
    const rows = this.rows;
    this.rows = new Map();
    const parts: string[] = [];
    const values: unknown[] = [];
    for (const [kind, list] of rows) {
      const st = kind.statement(list);
      if (!st) continue;
      const offset = values.length;
      parts.push(st.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`));
      values.push(...st.values);
    }
    if (!parts.length) return;
    const sql = parts.length === 1 ? parts[0]! : `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(',\n')}\nSELECT 1`;
    await tx.$executeRawUnsafe(sql, ...values);
  }
}

/** A JSON value as the text the SQL casts to jsonb. */
export const json = (v: unknown) => JSON.stringify(v ?? null);

/**
 * A column of JSON documents as one parameter: their texts joined into one JSON array, which
 * `jsonbColumn` turns back into a jsonb[] in the same order. As an array of text, the driver
 * would escape every quote of every document, copying each twice, and the database would
 * cast each element; joined, the texts are copied once and parsed once.
 */
export const jsonTexts = (texts: readonly string[]): string => `[${texts.join(',')}]`;

/** The SQL that makes the `jsonTexts` parameter `param` ($n) a jsonb[], to unnest beside the other columns. */
export const jsonbColumn = (param: string): string =>
  `ARRAY(SELECT e FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS x(e, i) ORDER BY i)`;
