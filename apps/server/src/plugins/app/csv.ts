import { CSV_MAX_ROWS } from '@plumbline/protocol/api';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { csvLine } from '../../reports/csv';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How a list endpoint's `?format=csv` answer is laid out: fields left out (structured values with a text twin). */
    csv?: { omit?: string[] };
  }
  interface FastifyRequest {
    /** The request asked for `format=csv` on a list endpoint. */
    csvExport?: boolean;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** One row's cells by column: nested objects as `a.b`, lists of plain values joined by a space, anything else as JSON. */
export function flatten(item: unknown, prefix = '', out: Record<string, string | number | boolean | null> = {}) {
  if (!isObject(item)) {
    out[prefix || 'value'] = cell(item);
    return out;
  }
  for (const [k, v] of Object.entries(item)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) flatten(v, key, out);
    else out[key] = cell(v);
  }
  return out;
}

function cell(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.join(' ');
  return JSON.stringify(v);
}

/** The columns of a zod object schema, nested objects flattened (`counts.fail`): a header even for an empty list. */
function schemaColumns(schema: unknown, prefix = ''): string[] {
  let s = schema as { def?: { type?: string; innerType?: unknown }; shape?: Record<string, unknown> } | undefined;
  for (let i = 0; i < 5 && s?.def && ['optional', 'nullable', 'default'].includes(s.def.type ?? ''); i++) s = s.def.innerType as typeof s;
  if (!s?.shape || s.def?.type !== 'object') return prefix ? [prefix] : [];
  return Object.entries(s.shape).flatMap(([k, v]) => {
    const inner = v as { def?: { type?: string } };
    const key = prefix ? `${prefix}.${k}` : k;
    let t = inner as { def?: { type?: string; innerType?: unknown } } | undefined;
    for (let i = 0; i < 5 && t?.def && ['optional', 'nullable', 'default'].includes(t.def.type ?? ''); i++) t = t.def.innerType as typeof t;
    return t?.def?.type === 'object' ? schemaColumns(t, key) : [key];
  });
}

function itemSchemaOf(req: FastifyRequest): unknown {
  const response = (req.routeOptions.schema?.response as Record<string, unknown> | undefined)?.[200] as
    { shape?: { items?: { def?: { element?: unknown } } } } | undefined;
  return response?.shape?.items?.def?.element;
}

/** A page's items as RFC 4180 CSV (see csvField: quoting, and no cell a spreadsheet runs as a formula). */
export function pageToCsv(items: unknown[], columns: string[], omit: ReadonlySet<string>): string {
  const rows = items.map((i) => flatten(i));
  const cols = [...columns];
  const seen = new Set(cols);
  for (const r of rows)
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
    }
  const kept = cols.filter((c) => !omit.has(c) && ![...omit].some((o) => c.startsWith(`${o}.`)));
  return [csvLine(kept), ...rows.map((r) => csvLine(kept.map((c) => r[c] ?? null)))].join('');
}

/**
 * `?format=csv` on every list endpoint (a response `{ items, total }`): the whole list as
 * filtered, not one page (at most CSV_MAX_ROWS rows), as `text/csv`. The route answers as
 * usual and its answer is validated by its schema; the JSON is then laid out as CSV, so the
 * download holds exactly what the list shows, under the same filters and access rules.
 */
const csvPlugin: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', async (req) => {
    const q = req.query as { format?: string; limit?: number; offset?: number } | undefined;
    if (q?.format !== 'csv' || req.method !== 'GET') return;
    req.csvExport = true;
    q.limit = CSV_MAX_ROWS;
    q.offset = 0;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.csvExport || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      return payload;
    }
    if (!isObject(body) || !Array.isArray(body.items)) return payload;
    const omit = new Set(req.routeOptions.config.csv?.omit ?? []);
    const csv = pageToCsv(body.items, schemaColumns(itemSchemaOf(req)), omit);
    const name = (req.routeOptions.url ?? 'export')
      .replace(/^\/api\/v1\//, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/-+$/, '');
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('x-total-count', String(body.total ?? body.items.length));
    return csv;
  });
};

export default fp(csvPlugin, { name: 'csv' });
