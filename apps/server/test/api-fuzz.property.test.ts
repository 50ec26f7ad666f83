import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { addUser, createApiKey } from '../src/access/credentials';
import { SESSION_COOKIE } from '../src/plugins/app/auth';
import { FUZZ_SEED, nastyPathParam, percentEncode, nastyValue, nearlyValid, rawJsonBody, rawQuery } from './fuzz-inputs';
import { build } from './helper';
import { rowCounter } from './row-counts';

/**
 * Every documented route, with every method, gets adversarial bodies, query strings, path
 * parameters and content types from a fully privileged caller. The server must refuse with
 * a 4xx and a `{ code: 'PLUMBLINE_ERR_...', message }` body (never a 5xx, a hang or an echoed
 * secret), and a refused write must leave every table as it was. The routes come from the
 * app's own OpenAPI document, so a new route is fuzzed without editing this file.
 */

const RUNS = Number(process.env.PLUMBLINE_FUZZ_RUNS ?? 40);
const PASSWORD = 'fuzzing horse battery staple';

const t = await build();
const adminKey = await createApiKey(t.db, 'fuzz', 'admin');
const adminId = await addUser(t.db, 'fuzz@example.com', 'admin', PASSWORD);
let session = await t.app.sessions.create(adminId);
const secrets = () => [adminKey, session.cookie, session.csrfToken, PASSWORD];

type Param = { in: string; name: string; schema?: unknown };
type Operation = { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: unknown }> } };
const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);
// Routes kept out of the document still take input from the network.
routes.push({ method: 'GET', path: '/downloads/agent/{file}', op: { parameters: [{ in: 'path', name: 'file' }] } });

const { tables, counts: rowCounts } = await rowCounter(t.db);

const request = fc.record({
  pathValues: fc.array(nastyPathParam, { minLength: 4, maxLength: 4 }),
  query: fc.oneof(
    fc.constant(null),
    rawQuery,
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('limit', 'offset', 'q', 'sort', 'since', '__proto__')),
      nastyValue,
      { maxKeys: 4 },
    ),
  ),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.constant('schema') },
    { weight: 2, arbitrary: fc.constant('json') },
    { weight: 2, arbitrary: rawJsonBody },
  ),
  jsonBody: nastyValue,
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/xml',
      '',
    ),
  ),
  bySession: fc.boolean(),
});

function queryString(query: unknown, params: Param[]): string {
  if (query === null) return '';
  if (typeof query === 'string') return `?${query}`;
  const named = params.filter((p) => p.in === 'query').map((p) => p.name);
  const entries = Object.entries(query as Record<string, unknown>).map(
    ([k, v], i) => [named.length && i % 2 === 0 ? named[i % named.length]! : k, v] as const,
  );
  return `?${entries.map(([k, v]) => `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`).join('&')}`;
}

describe('API under adversarial input, property-based', () => {
  it('finds the routes in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(tables).toContain('hosts');
  });

  routes.forEach(({ method, path, op }, index) => {
    const write = method !== 'GET' && method !== 'HEAD';
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const schemaBody = nearlyValid(bodySchema as Parameters<typeof nearlyValid>[0]);

    it(`${method} ${path} refuses bad input with a typed 4xx and stores nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(request, schemaBody, async (r, shaped) => {
          let n = 0;
          const url = path.replace(/\{[^}]+\}/g, () => r.pathValues[n++ % 4]!) + queryString(r.query, op.parameters ?? []);
          const headers: Record<string, string> = {};
          if (write && r.bySession) {
            headers.cookie = `${SESSION_COOKIE}=${session.cookie}`;
            headers['x-csrf-token'] = session.csrfToken;
          } else headers.authorization = `Bearer ${adminKey}`;
          const opts: InjectOptions = { method: method as InjectOptions['method'], url, headers };
          if (write) {
            const payload =
              r.body === 'schema' ? JSON.stringify(shaped) : r.body === 'json' ? (JSON.stringify(r.jsonBody) ?? 'null') : r.body;
            opts.payload = payload;
            if (r.contentType) headers['content-type'] = r.contentType;
          }
          const before = write ? await rowCounts() : null;
          const res = await t.app.inject(opts);
          expect(res.statusCode, `${method} ${url.slice(0, 200)} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.statusCode < 400) {
            // An input that happens to be valid is accepted; it may have ended the session.
            if (write) session = await t.app.sessions.create(adminId);
            return;
          }
          for (const secret of secrets()) expect(res.body).not.toContain(secret);
          const body = res.json() as { code?: unknown; message?: unknown };
          expect(body.code).toMatch(/^PLUMBLINE_ERR_[A-Z_]+$/);
          expect(typeof body.message).toBe('string');
          if (before) {
            const after = await rowCounts();
            // A wrong current password is a password guess: the throttle must count it (a row in
            // login_attempts), or a stolen session could guess without limit. Nothing else may change.
            if (body.code === 'PLUMBLINE_ERR_WRONG_PASSWORD') after.login_attempts = before.login_attempts!;
            expect(after).toEqual(before);
          }
        }),
        { numRuns: RUNS, seed: FUZZ_SEED + index },
      );
    });
  });
});
