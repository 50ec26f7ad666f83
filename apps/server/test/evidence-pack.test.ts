import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZipFile } from 'yazl';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/access/credentials';
import { signCheckpoint, type Checkpoint } from '../src/audit/checkpoint';
import { entryHash } from '../src/audit/trail';
import { PackPath, type Manifest } from '../src/reports/pack/format';
import { readPack, RefusedEntry, UnusablePack } from '../src/reports/pack/read';
import { verifyPack } from '../src/reports/pack/verify';
import { ensureSigningKey, fingerprintOf, keyInfoOf, type SigningKey } from '../src/signing/key';
import { databaseKeys, type TrustedKeys } from '../src/reports/trust';
import { cliEnv, runCli } from './cli-process';
import { build } from './helper';
import { reportFleet, ROOT_LOGIN } from './reports-fixture';

/**
 * The evidence pack as an auditor receives it: downloaded from the API, checked by
 * `plumbline verify PACK.zip` (a separate process) and, for every way of tampering with it,
 * refused with the first bad file named. Tampered packs are real zips written here.
 */
const t = await build({ twoPersonApproval: true });
const { admin } = await reportFleet(t);
const operator = await createApiKey(t.db, 'ops', 'operator');
const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-pack-'));
const api = (method: string, url: string, key: string, body?: unknown) =>
  t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body as object } : {}) });

// A waiver requested by one person and approved by another: the register names both.
const waiver = await api('POST', '/api/v1/waivers', operator, {
  ruleId: ROOT_LOGIN,
  scope: { type: 'group', id: 'web' },
  justification: 'bastion host, root login needed until the migration',
  expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
});
const waiverId = (JSON.parse(waiver.body) as { id: string }).id;
await api('POST', `/api/v1/waivers/${waiverId}/approve`, admin);

const res = await api('GET', '/api/v1/reports?format=pack', admin);
const packFile = path.join(dir, 'pack.zip');
await writeFile(packFile, res.rawPayload);
const key: SigningKey = await ensureSigningKey(t.db.prisma);
const trusted: TrustedKeys = await databaseKeys(t.db.prisma, 'the test database');
const original = await readPack(packFile);
const manifest = JSON.parse((original.get(PackPath.manifest) as Buffer).toString()) as Manifest;

/** Writes `files` as a zip, as an attacker with any zip tool would. */
async function zipOf(files: Map<string, Buffer>, name: string): Promise<string> {
  const zip = new ZipFile();
  for (const [n, b] of files) zip.addBuffer(b, n);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat(chunks));
  return file;
}

const sha = (alg: string, b: Buffer) => createHash(alg).update(b).digest();

function sigFor(bytes: Buffer, privateKey: KeyObject, publicPem: string) {
  const info = keyInfoOf(publicPem);
  return Buffer.from(
    JSON.stringify({
      format: 'plumbline-report-signature',
      version: 1,
      algorithm: 'ed25519-sha512',
      keyId: info.keyId,
      fingerprint: info.fingerprint,
      publicKey: publicPem,
      signature: sign(null, sha('sha512', bytes), privateKey).toString('base64'),
      sha256: sha('sha256', bytes).toString('hex'),
      bytes: bytes.length,
      signedAt: new Date().toISOString(),
    }),
  );
}

/** The manifest recomputed over `files` and signed with `by` (the server's key unless told). */
function resealed(
  files: Map<string, Buffer>,
  by: { privateKey: KeyObject; publicPem: string } = { privateKey: key.privateKey, publicPem: key.publicKeyPem },
) {
  const out = new Map(files);
  const m: Manifest = {
    ...manifest,
    keyId: keyInfoOf(by.publicPem).keyId,
    fingerprint: fingerprintOf(by.publicPem),
    files: [...out.keys()]
      .filter((n) => n !== PackPath.manifest && n !== PackPath.manifestSig)
      .map((n) => ({ path: n, sha256: sha('sha256', out.get(n) as Buffer).toString('hex'), bytes: (out.get(n) as Buffer).length })),
  };
  const bytes = Buffer.from(JSON.stringify(m));
  out.set(PackPath.manifest, bytes);
  out.set(PackPath.manifestSig, sigFor(bytes, by.privateKey, by.publicPem));
  return out;
}

describe('an evidence pack from the API', { timeout: 180_000 }, () => {
  it('holds the reports with their signatures, the key, the waiver register, the audit slice and a signed manifest', () => {
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['x-plumbline-signature']).toBeTruthy();
    expect(manifest.reports.map((r) => r.format)).toEqual(['pdf', 'json', 'csv', 'xccdf']);
    for (const r of manifest.reports) {
      expect(original.has(r.path)).toBe(true);
      expect(original.has(`${r.path}.sig`)).toBe(true);
    }
    expect(original.get(PackPath.publicKey)?.toString()).toBe(key.publicKeyPem);
    expect(manifest.fingerprint).toBe(key.fingerprint);
    const register = JSON.parse((original.get(PackPath.waiversJson) as Buffer).toString());
    expect(register.waivers).toEqual([
      expect.objectContaining({
        id: waiverId,
        ruleId: ROOT_LOGIN,
        scope: 'group:web',
        requestedBy: 'apikey:ops',
        approvedBy: 'apikey:admin',
        statusAtReportTime: 'in force',
      }),
    ]);
    expect((original.get(PackPath.waiversCsv) as Buffer).toString()).toContain('bastion host, root login needed');
    const entries = (original.get(PackPath.auditEntries) as Buffer).toString().trim().split('\n');
    expect(entries.some((l) => JSON.parse(l).action === 'waiver.approve')).toBe(true);
    expect((original.get(PackPath.auditCheckpoints) as Buffer).toString().trim().split('\n').length).toBeGreaterThanOrEqual(1);
    expect((original.get(PackPath.readme) as Buffer).toString()).toContain(
      `plumbline verify PACK.zip --key-fingerprint ${key.fingerprint}`,
    );
    // The manifest lists every file but itself and its signature.
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...original.keys()].filter((n) => !n.startsWith('manifest.json')).sort());
  });

  it('verifies in one step against the server key (in process)', async () => {
    const v = await verifyPack(original, trusted);
    expect(v).toMatchObject({ ok: true, reports: 4 });
  });

  it('formats= chooses the reports; a pack in a pack or an unknown format is a 400', async () => {
    const r = await api('GET', '/api/v1/reports?format=pack&formats=json,arf', admin);
    expect(r.statusCode).toBe(200);
    const f = path.join(dir, 'two.zip');
    await writeFile(f, r.rawPayload);
    const m = JSON.parse(((await readPack(f)).get(PackPath.manifest) as Buffer).toString()) as Manifest;
    expect(m.reports.map((x) => x.format)).toEqual(['json', 'arf']);
    expect((await api('GET', '/api/v1/reports?format=pack&formats=pack', admin)).statusCode).toBe(400);
    expect((await api('GET', '/api/v1/reports?format=pack&formats=docx', admin)).statusCode).toBe(400);
  });
});

describe('tampering, each refused naming the first bad file', { timeout: 180_000 }, () => {
  it('one changed byte in any file', async () => {
    for (const [name, bytes] of original) {
      const changed = new Map(original);
      const b = Buffer.from(bytes);
      const i = Math.floor(b.length / 2);
      b[i] = b[i] === 88 ? 89 : 88;
      changed.set(name, b);
      const v = await verifyPack(changed, trusted);
      expect(v.ok, name).toBe(false);
      if (!v.ok) expect(v.file, name).toBe(name === PackPath.manifestSig ? PackPath.manifest : name);
    }
  });

  it('a file removed, a file added', async () => {
    const removed = new Map(original);
    removed.delete(PackPath.waiversCsv);
    expect(await verifyPack(removed, trusted)).toMatchObject({ ok: false, file: PackPath.waiversCsv });
    const added = new Map(original).set('reports/extra.json', Buffer.from('{}'));
    expect(await verifyPack(added, trusted)).toMatchObject({ ok: false, file: 'reports/extra.json' });
  });

  it('a pack re-signed with another key, and reports re-signed with it', async () => {
    const other = generateKeyPairSync('ed25519');
    const publicPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const files = new Map(original);
    const json = manifest.reports.find((r) => r.format === 'json')!.path;
    const edited = Buffer.from((files.get(json) as Buffer).toString().replace('"hosts":2', '"hosts":3'));
    files.set(json, edited);
    files.set(`${json}.sig`, sigFor(edited, other.privateKey, publicPem));
    files.set(PackPath.publicKey, Buffer.from(publicPem));
    const forged = resealed(files, { privateKey: other.privateKey, publicPem });
    expect(await verifyPack(forged, trusted)).toMatchObject({ ok: false, why: 'untrusted', file: PackPath.manifest });
    // Even with the manifest signed by the server key, the report's own signature is checked.
    expect(await verifyPack(resealed(files), trusted)).toMatchObject({ ok: false, file: json });
  });

  it('a forged checkpoint, a rewritten and rechained audit slice, a slice cut short', async () => {
    const other = generateKeyPairSync('ed25519');
    const lines = (original.get(PackPath.auditCheckpoints) as Buffer).toString().trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1] as string) as Checkpoint;
    // Re-signed with another key under the server's key id.
    const foreign = signCheckpoint(
      { ...key, privateKey: other.privateKey },
      { seq: last.seq, hash: 'f'.repeat(64), entries: last.entries },
      new Date(),
    );
    const forged = new Map(original).set(
      PackPath.auditCheckpoints,
      Buffer.from(`${[...lines.slice(0, -1), JSON.stringify(foreign)].join('\n')}\n`),
    );
    const v1 = await verifyPack(resealed(forged), trusted);
    expect(v1).toMatchObject({ ok: false, file: PackPath.auditCheckpoints });
    if (!v1.ok) expect(v1.message).toMatch(/does not verify/);

    // An entry rewritten and every hash after it recomputed: the checkpoint no longer matches.
    const entries = (original.get(PackPath.auditEntries) as Buffer)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const i = entries.findIndex((e) => e.action === 'waiver.approve');
    entries[i].actor = 'apikey:someone-else';
    for (let j = i; j < entries.length; j++) {
      if (j > i) entries[j].prevHash = entries[j - 1].hash;
      entries[j].hash = entryHash(entries[j].prevHash, { ...entries[j], at: new Date(entries[j].at) });
    }
    const rechained = new Map(original).set(PackPath.auditEntries, Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join('')));
    const v2 = await verifyPack(resealed(rechained), trusted);
    expect(v2).toMatchObject({ ok: false, file: PackPath.auditEntries });
    if (!v2.ok) expect(v2.message).toMatch(/rewritten or removed/);

    // The newest entries dropped: the sealing checkpoint lies beyond the end.
    const cut = (original.get(PackPath.auditEntries) as Buffer).toString().trim().split('\n').slice(0, -1);
    const short = new Map(original).set(PackPath.auditEntries, Buffer.from(cut.map((l) => `${l}\n`).join('')));
    expect(await verifyPack(resealed(short), trusted)).toMatchObject({ ok: false, file: PackPath.auditEntries });
  });

  it('hostile archives: a traversal name, a duplicate name, a zip bomb, an oversized entry', async () => {
    // A name patched to ../ after writing (zip writers refuse to write one).
    const evil = await zipOf(new Map(original).set('xx/evil.txt', Buffer.from('x')), 'evil.zip');
    const raw = await readFile(evil);
    await writeFile(evil, Buffer.from(raw.toString('latin1').replaceAll('xx/evil.txt', '../evil.txt'), 'latin1'));
    await expect(readPack(evil)).rejects.toSatisfy((e) => e instanceof RefusedEntry && e.entry === '../evil.txt');

    // The same name twice (a verifier reading one copy, an unzip tool the other).
    const twice = await zipOf(
      new Map(original).set('reports/twin-a.json', Buffer.from('{"a":1}')).set('reports/twin-b.json', Buffer.from('{"b":2}')),
      'twice.zip',
    );
    const t2 = await readFile(twice);
    await writeFile(twice, Buffer.from(t2.toString('latin1').replaceAll('reports/twin-b.json', 'reports/twin-a.json'), 'latin1'));
    await expect(readPack(twice)).rejects.toSatisfy((e) => e instanceof RefusedEntry && /twice/.test(e.message));

    // 64 MiB of zeros declared as 100 bytes: stops at the declared size.
    const bomb = await zipOf(new Map([['bomb.bin', Buffer.alloc(64 * 1024 * 1024)]]), 'bomb.zip');
    const b = await readFile(bomb);
    b.writeUInt32LE(100, 22); // local header: uncompressed size
    const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    b.writeUInt32LE(100, cd + 24); // central directory: uncompressed size
    await writeFile(bomb, b);
    await expect(readPack(bomb)).rejects.toSatisfy((e) => e instanceof RefusedEntry && e.entry === 'bomb.bin');

    // An entry declaring 3 GiB is not inflated at all.
    b.writeUInt32LE(0xc0000000, 22);
    b.writeUInt32LE(0xc0000000, cd + 24);
    await writeFile(bomb, b);
    await expect(readPack(bomb)).rejects.toBeInstanceOf(UnusablePack);
  });
});

describe('plumbline verify PACK.zip, the CLI as an auditor runs it', { timeout: 300_000 }, () => {
  const besideServer = cliEnv(t.app.config);
  const offline = { PLUMBLINE_DATA_DIR: path.join(dir, 'no-server-here') };
  const verify = (args: string[], env: Record<string, string | undefined> = besideServer) => runCli(['verify', ...args], env);

  it('exit 0 for the intact pack beside the server, and offline against the pinned fingerprint', async () => {
    const r = await verify([packFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^evidence pack valid: /);
    expect(r.stdout).toContain(key.fingerprint);
    expect((await verify([packFile, '--key-fingerprint', key.fingerprint], offline)).code).toBe(0);
    const pem = path.join(dir, 'server.pub');
    await writeFile(pem, key.publicKeyPem);
    expect((await verify([packFile, '--public-key', pem], offline)).code).toBe(0);
  });

  it('exit 1 naming the file for one changed byte; exit 1 for another key even when pinned wrongly', async () => {
    const json = manifest.reports.find((r) => r.format === 'json')!.path;
    const b = Buffer.from(original.get(json) as Buffer);
    b[10] = b[10] === 88 ? 89 : 88;
    const changed = await zipOf(new Map(original).set(json, b), 'changed.zip');
    const r = await verify([changed]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `plumbline: evidence pack INVALID, first bad file ${json}: ${json} was altered: its SHA-256 differs from the manifest`,
    ]);
    const other = generateKeyPairSync('ed25519');
    const publicPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const foreign = await zipOf(resealed(new Map(original), { privateKey: other.privateKey, publicPem }), 'foreign.zip');
    expect((await verify([foreign])).code).toBe(1);
    expect((await verify([foreign, '--key-fingerprint', key.fingerprint], offline)).code).toBe(1);
  });

  it('exit 2 for input that is no pack: not a zip, truncated, no trusted key', async () => {
    const notZip = path.join(dir, 'not.zip');
    await writeFile(notZip, 'hello');
    expect((await verify([notZip])).code).toBe(2);
    const truncated = path.join(dir, 'truncated.zip');
    const whole = await readFile(packFile);
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = await verify([truncated]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/truncated/);
    expect((await verify([packFile], offline)).code).toBe(2);
  });

  it('the download as served verifies with its headers too (outer signature and contents)', async () => {
    const headers = path.join(dir, 'pack.headers');
    await writeFile(
      headers,
      `HTTP/1.1 200 OK\r\n${Object.entries(res.headers)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\r\n')}\r\n\r\n`,
    );
    const r = await verify([packFile, '--headers', headers, '--key-fingerprint', key.fingerprint], offline);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/download signature valid/);
  });
});
