import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, serveCli } from './cli-process';

/**
 * While `plumbline serve` holds the embedded database, the CLI beside it does through the
 * server's API what it would do on the database: the real server and the real CLI, separate
 * processes on one data directory, as an operator runs them after `pnpm start`.
 */
const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-cli-server-'));
const env = { PLUMBLINE_DATA_DIR: path.join(dir, 'data'), PORT: String(await freePort()) };
let adminKey = '';
let server: Awaited<ReturnType<typeof serveCli>> | null = null;
const withKey = (key: string) => ({ ...env, PLUMBLINE_API_KEY: key });

beforeAll(async () => {
  // Before the server starts the database is free: the key is made on it directly.
  const made = await runCli(['apikey', 'create', '--name', 'ops', '--role', 'admin'], env);
  expect(made.code, made.stderr).toBe(0);
  adminKey = made.stdout.trim();
  server = await serveCli(env);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

const api = (url: string, key = adminKey) => fetch(`${server!.url}${url}`, { headers: { authorization: `Bearer ${key}` } });

// Each CLI run is a new process loading the whole server bundle: seconds each on a busy machine.
describe('the CLI while the server holds the embedded database', { timeout: 120_000 }, () => {
  it('without PLUMBLINE_API_KEY: exit 2 and one line saying the server holds the database and to set the key', async () => {
    const r = await runCli(['token', 'create', '--name', 'rack-4'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^plumbline: token create: the running server holds the embedded database in .*; set PLUMBLINE_API_KEY to an admin API key/,
      ),
    ]);
  });

  it("with a wrong key: exit 2 and the server's error code in the line, the key never printed", async () => {
    const wrong = `${adminKey.slice(0, -4)}xxxx`;
    const r = await runCli(['token', 'create', '--name', 'rack-4'], withKey(wrong));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^plumbline: PLUMBLINE_ERR_UNAUTHENTICATED: .*PLUMBLINE_API_KEY/)]);
    expect(r.stderr).not.toContain(wrong);
  });

  it('token create prints the token alone, and the server stores it under its name', async () => {
    const r = await runCli(['token', 'create', '--name', 'rack-4', '--expires', '24h', '--max-uses', '5'], withKey(adminKey));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ple_\S+\n$/);
    const tokens = (await (await api('/api/v1/enrollment-tokens')).json()) as { items: { name: string; maxUses: number }[] };
    expect(tokens.items).toContainEqual(expect.objectContaining({ name: 'rack-4', maxUses: 5 }));
    expect(r.stderr).not.toContain(adminKey);
  });

  it('apikey create prints a key the server accepts; user add prints the new user id', async () => {
    const k = await runCli(['apikey', 'create', '--name', 'ci', '--role', 'auditor'], withKey(adminKey));
    expect(k.code, k.stderr).toBe(0);
    expect((await api('/api/v1/hosts', k.stdout.trim())).status).toBe(200);
    const u = await runCli(
      ['user', 'add', '--email', 'ops@example.com', '--role', 'operator', '--password-stdin'],
      withKey(adminKey),
      'a long enough passphrase 9',
    );
    expect(u.code, u.stderr).toBe(0);
    expect(u.stderr).toBe('user ops@example.com added\n');
    expect(u.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
  });

  it('report --out writes the report and its .sig, which verify accepts against the server key', async () => {
    const file = path.join(dir, 'fleet.json');
    const r = await runCli(['report', '--format', 'json', '--out', file], withKey(adminKey));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${file}\n`);
    expect(r.stderr).toMatch(new RegExp(`^wrote ${file} \\(\\d+ bytes\\) and its signature ${file}\\.sig \\(key [0-9a-f]{32}\\)\\n$`));
    const sig = JSON.parse(await readFile(`${file}.sig`, 'utf8')) as { format: string; bytes: number };
    expect(sig.format).toBe('plumbline-report-signature');
    expect(sig.bytes).toBe((await readFile(file)).length);
    const v = await runCli(['verify', file], env);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^signature valid: /);
    // The export is in the audit trail, by the key that asked for it.
    const audit = (await (await api('/api/v1/audit?action=report.export')).json()) as { items: { actor: string }[] };
    expect(audit.items[0]?.actor).toBe('apikey:ops');
  });

  it('audit verify walks the chain the server holds', async () => {
    const r = await runCli(['audit', 'verify'], withKey(adminKey));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^audit chain intact: \d+ entries/);
  });

  it('a command with no way through the server names itself and says to stop the server or use PostgreSQL (exit 2)', async () => {
    const r = await runCli(['user', 'passwd', 'ops@example.com', '--password-stdin'], withKey(adminKey), 'another long passphrase 9');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^plumbline: user passwd cannot go through the running server .*: stop the server, or use PostgreSQL \(DATABASE_URL\)$/,
      ),
    ]);
  });
});
