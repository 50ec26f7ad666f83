import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open';
import { registerReportCommands } from '../src/cli/reports';
import { fingerprintOf } from '../src/signing/key';
import { databaseKeys } from '../src/reports/trust';
import { cliEnv, runCli } from './cli-process';
import { build } from './helper';
import { reportFleet } from './reports-fixture';

/**
 * `plumbline verify` trusts the server's key only: the real CLI, a separate process, beside a
 * running server (on PostgreSQL it reads the key from the database; on the embedded database,
 * which the running server holds, from the key file the server published), or offline with a
 * pinned fingerprint. A signature carrying another key is refused.
 */
const t = await build();
const { admin } = await reportFleet(t);
const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-report-trust-'));
const besideServer = cliEnv(t.app.config);
const offline = { PLUMBLINE_DATA_DIR: path.join(dir, 'no-server-here') };
const keyInfo = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/reports/public-key' })).body) as {
  keyId: string;
  fingerprint: string;
};
const verify = (args: string[], env = besideServer) => runCli(['verify', ...args], env);

/** Writes a report and its .sig through the report command, on the test's database. */
async function cliReport(file: string): Promise<void> {
  const program = new Command('plumbline').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerReportCommands(
    program,
    <T>(fn: (db: Database) => Promise<T>) => fn(t.db),
    () => databaseKeys(t.db.prisma, 'test'),
  );
  await program.parseAsync(['node', 'plumbline', 'report', '--format', 'json', '--out', file]);
}

/** What an attacker with a key of their own produces: the .sig of `bytes` under that key. */
function forgedSig(bytes: Buffer, keyId?: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const fingerprint = fingerprintOf(pem);
  return {
    format: 'plumbline-report-signature',
    version: 1,
    keyId: keyId ?? fingerprint.slice(0, 32),
    algorithm: 'ed25519-sha512',
    fingerprint,
    publicKey: pem,
    signature: sign(null, createHash('sha512').update(bytes).digest(), privateKey).toString('base64'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    signedAt: new Date().toISOString(),
  };
}

// Each CLI run is a new process loading the whole server bundle: seconds each on a busy machine.
describe('a report fetched with curl', { timeout: 120_000 }, () => {
  const report = path.join(dir, 'fleet.json');
  const headers = path.join(dir, 'fleet.headers');

  it('verifies in one command from the headers curl -D saved, beside the server', async () => {
    await promisify(execFile)('curl', [
      '-fsS',
      '-H',
      `Authorization: Bearer ${admin}`,
      '-D',
      headers,
      '-o',
      report,
      `${t.url}/api/v1/reports?format=json`,
    ]);
    const r = await verify([report, '--headers', headers]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`signature valid: ${report}`);
    expect(r.stdout).toContain(keyInfo.fingerprint);
  });

  it('verifies from the X-Plumbline-Signature value alone, beside the server', async () => {
    const value = /^x-plumbline-signature:\s*(\S+)/im.exec(await readFile(headers, 'utf8'))?.[1] as string;
    const r = await verify([report, '--signature-header', value]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('verifies anywhere against the pinned fingerprint; a wrong or malformed fingerprint is refused', async () => {
    expect((await verify([report, '--headers', headers, '--key-fingerprint', keyInfo.fingerprint.toUpperCase()], offline)).code).toBe(0);
    const wrong = await verify([report, '--headers', headers, '--key-fingerprint', 'ab'.repeat(32)], offline);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/NOT TRUSTED.*not the pinned abab/);
    expect((await verify([report, '--headers', headers, '--key-fingerprint', 'abc'], offline)).code).toBe(2);
  });

  it('without a trusted key (no server, no pin) nothing is trusted: exit 2 saying how to give one', async () => {
    const r = await verify([report, '--headers', headers], offline);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no trusted key.*--key-fingerprint/);
  });

  it('names the signing key in the report itself and in the headers', async () => {
    const json = JSON.parse(await readFile(report, 'utf8'));
    expect(json).toMatchObject({ keyId: keyInfo.keyId, keyFingerprint: keyInfo.fingerprint });
    expect(await readFile(headers, 'utf8')).toMatch(new RegExp(`^x-plumbline-key-fingerprint: ${keyInfo.fingerprint}`, 'im'));
    const html = await t.app.inject({ method: 'GET', url: '/api/v1/reports?format=html', headers: { authorization: `Bearer ${admin}` } });
    expect(html.body).toContain(keyInfo.fingerprint);
  });
});

describe('a forged signature file', { timeout: 120_000 }, () => {
  const report = path.join(dir, 'cli.json');

  it('the genuine .sig verifies beside the server', async () => {
    await cliReport(report);
    const r = await verify([report]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('an edited report re-signed with another key is refused (exit 1), with or without the server key id', async () => {
    const edited = Buffer.from((await readFile(report, 'utf8')).replace('"hosts":2', '"hosts":3'));
    const copy = path.join(dir, 'edited.json');
    await writeFile(copy, edited);
    await writeFile(`${copy}.sig`, JSON.stringify(forgedSig(edited)));
    const own = await verify([copy]);
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/^plumbline: signature NOT TRUSTED: .* which is not a trusted key/);
    expect(own.stderr.trim().split('\n')).toHaveLength(1);
    await writeFile(`${copy}.sig`, JSON.stringify(forgedSig(edited, keyInfo.keyId)));
    const borrowed = await verify([copy]);
    expect(borrowed.code).toBe(1);
    expect(borrowed.stderr).toMatch(/signature INVALID/);
  });

  it("a report signed by another server's key is refused, also against a fingerprint pin", async () => {
    const bytes = await readFile(report);
    const copy = path.join(dir, 'foreign.json');
    await writeFile(copy, bytes);
    const sig = forgedSig(bytes);
    await writeFile(`${copy}.sig`, JSON.stringify(sig));
    expect((await verify([copy])).code).toBe(1);
    expect((await verify([copy, '--key-fingerprint', keyInfo.fingerprint], offline)).code).toBe(1);
    // Only where that other key is the pinned one does it verify: the pin decides, not the file.
    expect((await verify([copy, '--key-fingerprint', sig.fingerprint], offline)).code).toBe(0);
  });

  it('refuses conflicting signature sources (exit 2)', async () => {
    const r = await verify([report, '--signature', `${report}.sig`, '--signature-header', 'x'.repeat(88)]);
    expect(r.code).toBe(2);
  });
});
