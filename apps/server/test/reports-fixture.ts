import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import type { TestApp } from './helper';

export const ROOT_LOGIN = 'plb-ssh-permit-root-login';
/** A value with everything that breaks naive CSV and HTML: comma, quote, newline, markup. */
export const NASTY = 'yes, "really"\n<script>alert(1)</script>';
export const BEFORE_CHANGE = '2026-01-15T00:00:00.000Z';

/**
 * Two hosts: web-1 (group web) passes the root-login rule on 1 January and fails it with a
 * nasty observed value from 1 February; db-1 (group db) passes throughout.
 */
export async function reportFleet(t: TestApp) {
  const admin = await createApiKey(t.db, 'admin', 'admin');
  const auditor = await createApiKey(t.db, 'audit', 'auditor');
  const hosts: Record<string, string> = {};
  for (const [name, group] of [
    ['web-1', 'web'],
    ['db-1', 'db'],
  ] as const) {
    const token = await createEnrollmentToken(t.db, { name, group });
    const agent = await TestAgent.connect(t.url, token);
    agent.send(hello(name));
    hosts[name] = (await agent.next('welcome')).payload.hostId;
    const good = hostFacts(name, 'no');
    agent.send(snapshot(1, good, '2026-01-01T00:00:00.000Z'));
    await agent.next('ack');
    if (name === 'web-1') {
      agent.send(delta(2, good, hostFacts(name, NASTY), '2026-02-01T00:00:00.000Z'));
      await agent.next('ack');
    }
    agent.close();
  }
  return { admin, auditor, hosts };
}

/** RFC 4180 parser for the tests: quoted fields with doubled quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
