import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, serveCli } from './cli-process';
import { siteRuleFile } from './rule-files';

/**
 * While `plumbline serve` holds the embedded database, the CLI beside it does through the
 * server's API what it would do on the database: the real server and the real CLI, separate
 * processes on one data directory, as an operator runs them after `pnpm start`.
 */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
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

  it('rules upload stores the file through the server; an invalid file prints file:line problems, exit 2, nothing stored; rules list shows it', async () => {
    const good = path.join(dir, 'site.yaml');
    await writeFile(good, siteRuleFile('plb-cli-server-root-login', 'no'));
    const up = await runCli(['rules', 'upload', good], withKey(adminKey));
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^site\t1\t[0-9a-f]{64}\tplb-cli-server-root-login\n$/);
    const stored = (await (await api('/api/v1/rules/custom/site')).json()) as { version: number; uploadedBy: string };
    expect(stored).toMatchObject({ version: 1, uploadedBy: 'apikey:ops' });

    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, siteRuleFile('plb-cli-server-bad', 'no', 'no_such_fact'));
    const refused = await runCli(['rules', 'upload', bad], withKey(adminKey));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^${bad}:\\d+: .*no_such_fact`, 'm'));
    expect(refused.stderr).toMatch(/1 problem; nothing stored\n$/);
    expect(((await (await api('/api/v1/rules/custom?name=bad')).json()) as { total: number }).total).toBe(0);

    const list = await runCli(['rules', 'list'], withKey(adminKey));
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[1]).toMatch(/^site\t1\t[0-9a-f]{12}\tplb-cli-server-root-login\tapikey:ops\t\S+Z\tactive$/);
  });

  it('vulndb import parses every file here, then sends each to the server; a cut file exits 2 and sends nothing', async () => {
    const samples = path.join(repoRoot, 'packages/advisories/samples');
    const feedsNow = async () =>
      ((await (await api('/api/v1/vulnerabilities')).json()) as { feeds: { kind: string }[] }).feeds.map((f) => f.kind).sort();
    const cut = path.join(dir, 'cut.json');
    await writeFile(cut, (await readFile(path.join(samples, 'debian-tracker.json'))).subarray(0, 300));
    const refused = await runCli(['vulndb', 'import', path.join(samples, 'kev.json'), cut], withKey(adminKey));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^plumbline: ${cut}: PLUMBLINE_ERR_FEED_TRUNCATED: .*nothing was imported\\n$`));
    expect(await feedsNow()).toEqual([]);

    const files = ['debian-tracker.json', 'kev.json'].map((f) => path.join(samples, f));
    const r = await runCli(['vulndb', 'import', ...files], withKey(adminKey));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${files[0]}: debian-tracker.*, \\d+ records$`)),
      expect.stringMatching(new RegExp(`^${files[1]}: kev.*, \\d+ records$`)),
    ]);
    expect(await feedsNow()).toEqual(['debian-tracker', 'kev']);
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
