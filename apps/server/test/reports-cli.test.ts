import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/printer';
import type { Database } from '../src/db/open';
import { registerReportCommands, verifyReport } from '../src/cli/reports';
import { databaseKeys } from '../src/reports/trust';
import { build } from './helper';
import { reportFleet, ROOT_LOGIN } from './reports-fixture';

const t = await build();
const { admin, hosts } = await reportFleet(t);
const serverKeys = () => databaseKeys(t.db.prisma, 'the test database');
const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-report-cli-'));

/** The real commands, on the test database instead of the configured one. */
async function cli(...args: string[]): Promise<void> {
  const program = new Command('plumbline').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerReportCommands(program, <T>(fn: (db: Database) => Promise<T>) => fn(t.db), serverKeys);
  await program.parseAsync(['node', 'plumbline', ...args]);
}
const exitOf = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (e: unknown) => (e instanceof CliError ? e.exitCode : ((e as { exitCode?: number }).exitCode ?? -1)),
  );

describe('plumbline report and verify', () => {
  const out = path.join(dir, 'fleet.json');

  it('writes the report and a detached signature that verify accepts', async () => {
    await cli('report', '--format', 'json', '--out', out);
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.summary.hosts).toBe(2);
    const sig = JSON.parse(await readFile(`${out}.sig`, 'utf8'));
    expect(sig).toMatchObject({
      format: 'plumbline-report-signature',
      algorithm: 'ed25519-sha512',
      keyId: expect.any(String),
      publicKey: expect.stringContaining('PUBLIC KEY'),
    });
    expect(await exitOf(cli('verify', out))).toBe(0);
  });

  it('verify pins the server key given as PEM or as the API JSON, and refuses another key', async () => {
    const json = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/public-key' })).body;
    await writeFile(path.join(dir, 'key.json'), json);
    await writeFile(path.join(dir, 'key.pem'), (await t.app.inject({ method: 'GET', url: '/api/v1/reports/public-key.pem' })).body);
    expect(await exitOf(verifyReport(out, { publicKey: path.join(dir, 'key.json') }, serverKeys))).toBe(0);
    expect(await exitOf(verifyReport(out, { publicKey: path.join(dir, 'key.pem') }, serverKeys))).toBe(0);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await writeFile(path.join(dir, 'other.pem'), other);
    expect(await exitOf(verifyReport(out, { publicKey: path.join(dir, 'other.pem') }, serverKeys))).toBe(1);
  });

  it('verify exits 1 when one byte of the report changed', async () => {
    const copy = path.join(dir, 'tampered.json');
    const bytes = await readFile(out);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1] === 88 ? 89 : 88;
    await writeFile(copy, bytes);
    expect(await exitOf(verifyReport(copy, { signature: `${out}.sig` }, serverKeys))).toBe(1);
  });

  it('verify and report exit 2 on bad arguments or missing files', async () => {
    expect(await exitOf(verifyReport(path.join(dir, 'missing.json'), {}, serverKeys))).toBe(2);
    await writeFile(path.join(dir, 'lonely.csv'), 'a,b\r\n');
    expect(await exitOf(verifyReport(path.join(dir, 'lonely.csv'), {}, serverKeys))).toBe(2);
    await writeFile(path.join(dir, 'junk.sig'), 'not json');
    expect(await exitOf(verifyReport(out, { signature: path.join(dir, 'junk.sig') }, serverKeys))).toBe(2);
    expect(await exitOf(cli('report', '--format', 'docx', '--out', path.join(dir, 'x.docx')))).toBe(2);
    expect(await exitOf(cli('report', '--format', 'csv', '--as-of', 'last tuesday', '--out', path.join(dir, 'x.csv')))).toBe(2);
  });

  it('every format comes out signed and verifiable', async () => {
    for (const format of ['csv', 'html', 'pdf', 'oscal']) {
      const file = path.join(dir, `r.${format}`);
      await cli('report', '--format', format, '--scope', `host:${hosts['web-1']}`, '--out', file);
      expect(await exitOf(verifyReport(file, {}, serverKeys)), format).toBe(0);
    }
    expect((await readFile(path.join(dir, 'r.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('--section vulnerabilities writes the findings CSV, signed; on another format it exits 2 and writes nothing', async () => {
    const file = path.join(dir, 'findings.csv');
    await cli('report', '--format', 'csv', '--section', 'vulnerabilities', '--out', file);
    const header = (await readFile(file, 'utf8')).split(/\r?\n/)[0]!;
    expect(header).toMatch(/\bcve\b/);
    expect(header).not.toMatch(/\bruleId\b|rule_id/);
    expect(await exitOf(verifyReport(file, {}, serverKeys))).toBe(0);
    const pdf = path.join(dir, 'findings.pdf');
    expect(await exitOf(cli('report', '--format', 'pdf', '--section', 'vulnerabilities', '--out', pdf))).toBe(2);
    expect(await exitOf(cli('report', '--format', 'csv', '--section', 'exposure', '--out', pdf))).toBe(2);
    await expect(readFile(pdf)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('waivers in reports', () => {
  it('mark a waived failure and give the score with and without waivers; waivers=false ignores them', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/waivers',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        ruleId: ROOT_LOGIN,
        scope: { type: 'group', id: 'web' },
        justification: 'jump host needs root login, until the migration',
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    });
    expect(res.statusCode).toBe(201);
    const get = async (q: string) =>
      JSON.parse(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/reports?format=json&scope=group:web${q}`,
            headers: { authorization: `Bearer ${admin}` },
          })
        ).body,
      );
    const withW = await get('');
    const r = withW.results.find((x: { ruleId: string }) => x.ruleId === ROOT_LOGIN);
    expect(r).toMatchObject({ status: 'fail', waived: true, waiver: { justification: expect.stringContaining('jump host') } });
    expect(withW.summary.counts.waived).toBe(1);
    expect(withW.summary.scoreWithWaivers).toBeGreaterThan(withW.summary.score);
    const without = await get('&waivers=false');
    expect(without.results.find((x: { ruleId: string }) => x.ruleId === ROOT_LOGIN)).toMatchObject({ status: 'fail', waived: false });
    expect(without.summary.scoreWithWaivers).toBeNull();
    // As of a moment before the waiver existed, the failure was not waived.
    const before = await get(`&asOf=${new Date(Date.now() - 60_000).toISOString()}`);
    expect(before.results.find((x: { ruleId: string }) => x.ruleId === ROOT_LOGIN)).toMatchObject({ status: 'fail', waived: false });
  });
});
