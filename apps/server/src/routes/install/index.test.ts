import { spawn, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, type SigningKey } from '../../signing/key';
import { installRoutes, type InstallRoutesOptions } from './index';

let dist: string;
let work: string;
const apps: FastifyInstance[] = [];

/** A key like the server's (ensureSigningKey needs the database), and a second one that is not it. */
function makeKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: 'k', algorithm: 'ed25519-sha512', publicKeyPem, fingerprint: fingerprintOf(publicKeyPem), privateKey };
}
const key = makeKey();
const otherKey = makeKey();

/** The plugin on a bare Fastify, as app.ts registers it (the real app needs a database). */
async function serve(opts: InstallRoutesOptions = {}, trustProxy = false): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy });
  await app.register(installRoutes, { dir: dist, signingKey: async () => key, ...opts });
  apps.push(app);
  return app;
}

/** Runs sh without blocking the event loop: the server under test answers in this process. */
function sh(
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A tarball shaped like the real one, whose `plumbline-agent` only records how it was called. */
async function fakeTarball(): Promise<string> {
  const top = path.join(work, 'tar/plumbline-agent-0.1.0-linux-x86_64');
  await mkdir(top, { recursive: true });
  await writeFile(path.join(top, 'plumbline-agent'), `#!/bin/sh\necho "$@" > "${work}/called"\necho "stdin: $(cat)" >> "${work}/called"\n`);
  await chmod(path.join(top, 'plumbline-agent'), 0o755);
  const name = 'plumbline-agent-0.1.0-linux-x86_64.tar.gz';
  spawnSync('tar', ['-czf', path.join(dist, name), '-C', path.join(work, 'tar'), 'plumbline-agent-0.1.0-linux-x86_64']);
  return name;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'plumbline-install-route-'));
  dist = path.join(work, 'dist');
  await mkdir(dist);
  const name = await fakeTarball();
  const sum = createHash('sha256')
    .update(await readFile(path.join(dist, name)))
    .digest('hex');
  await writeFile(path.join(dist, 'SHA256SUMS'), `${sum}  ${name}\n`);
  const files = ['x86_64', 'aarch64'].map((arch) => ({ file: name, arch, kind: 'tar' }));
  await writeFile(path.join(dist, 'manifest.json'), JSON.stringify({ version: '0.1.0', files }));
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await rm(work, { recursive: true, force: true });
});

/** GET with any headers, Host included (fetch would not send a Host header of our choosing). */
function get(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** The script as a host would get it from a server listening on loopback, and that server's URL. */
async function scriptFrom(app: FastifyInstance, headers: Record<string, string> = {}): Promise<{ url: string; script: string }> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, script: await get(`${url}/install.sh`, headers) };
}

describe('GET /install.sh', () => {
  it('is a POSIX sh script that verifies a signature and enrolls against this server', async () => {
    const { url, script } = await scriptFrom(await serve());
    expect(script).toContain(`SERVER='${url}'`);
    expect(script).toMatch(/openssl pkeyutl -verify -pubin -inkey .* -rawin/);
    const file = path.join(work, 'install.sh');
    await writeFile(file, script);
    const check = spawnSync('sh', ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('names the address it listens on, never a Host or X-Forwarded-Host header it was not configured with', async () => {
    const headers = { host: 'attacker.example:8470', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'attacker.example' };
    for (const trustProxy of [false, true]) {
      const { url, script } = await scriptFrom(await serve({}, trustProxy), headers);
      expect(script).toContain(`SERVER='${url}'`);
      expect(script).not.toContain('attacker');
    }
  });

  it('on a wildcard listener, names the local address the request reached', async () => {
    const app = await serve();
    const url = await app.listen({ port: 0, host: '0.0.0.0' });
    const port = new URL(url).port;
    const script = await get(`http://127.0.0.1:${port}/install.sh`, { host: 'attacker.example' });
    expect(script).toContain(`SERVER='http://127.0.0.1:${port}'`);
  });

  it('without a listener or a configured URL, answers 503 with a reason', async () => {
    const res = await (await serve()).inject({ url: '/install.sh', headers: { host: "x';reboot;'" } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ code: 'PLUMBLINE_ERR_CONFIG', message: expect.stringMatching(/set PLUMBLINE_PUBLIC_URL/) });
  });

  it('prefers the configured public URL', async () => {
    const app = await serve({ publicUrl: 'https://compliance.example.com/plumbline/' });
    expect((await app.inject({ url: '/install.sh' })).body).toContain("SERVER='https://compliance.example.com/plumbline'");
    await expect(serve({ publicUrl: "https://x.example.com/'; reboot #" })).rejects.toThrow(/PLUMBLINE_PUBLIC_URL/);
  });

  it('refuses plain http without --insecure-http, a token on the command line, and a missing fingerprint', async () => {
    const { script } = await scriptFrom(await serve());
    const http = await sh(['-s', '--', '--fingerprint', key.fingerprint], script);
    expect(http.status).toBe(1);
    expect(http.stderr).toMatch(/is plain http: .* or accept the risk with --insecure-http/);
    const argv = await sh(['-s', '--', 'ple_secret-token', '--insecure-http'], script);
    expect(argv.status).toBe(1);
    expect(argv.stderr).toMatch(/the token is not taken on the command line, where ps shows it/);
    expect(argv.stderr).not.toContain('ple_secret-token');
    const noFp = await sh(['-s', '--', '--insecure-http'], script);
    expect(noFp.status).toBe(1);
    expect(noFp.stderr).toMatch(/--fingerprint is needed/);
  });

  // The script refuses to run as anyone but root, as it must on a real host.
  it.skipIf(process.getuid?.() !== 0)(
    'checks the signature against the fingerprint, then runs the agent installer with the token on stdin',
    async () => {
      const { url, script } = await scriptFrom(await serve());
      const bin = path.join(work, 'bin');
      const tokenFile = path.join(work, 'token');
      await writeFile(tokenFile, 'ple_tok-123\n', { mode: 0o600 });
      const env = { ...process.env, PLUMBLINE_BIN_DIR: bin };
      const args = ['-s', '--', '--fingerprint', key.fingerprint, '--token-file', tokenFile, '--insecure-http', '--no-start'];
      // Only a tarball is offered, so the script neither runs dpkg nor rpm on this machine.
      const res = await sh(args, script, env);
      expect(res.stderr).toBe('plumbline-agent install: warning: installing over plain http (--insecure-http)\n');
      expect(res.status).toBe(0);
      // What it did and how to check it.
      expect(res.stdout).toMatch(/installed plumbline-agent-0\.1\.0-linux-x86_64\.tar\.gz \(tar package, agent 0\.1\.0\)/);
      expect(res.stdout).toMatch(/systemctl status plumbline-agent/);
      expect(res.stdout).toMatch(new RegExp(`appears in the dashboard's Hosts list within a minute: ${url}/hosts`));
      expect((await readFile(path.join(work, 'called'), 'utf8')).trim()).toBe(
        `install --server ${url} --token-stdin --no-start\nstdin: ple_tok-123`,
      );

      // Another key than the one the command names: nothing is installed.
      await writeFile(path.join(work, 'called'), '');
      const wrongKey = await sh(
        ['-s', '--', '--fingerprint', otherKey.fingerprint, '--token-file', tokenFile, '--insecure-http'],
        script,
        env,
      );
      expect(wrongKey.status).toBe(1);
      expect(wrongKey.stderr).toMatch(
        /the server's signing key has fingerprint [0-9a-f]{64}, the install command names [0-9a-f]{64}: not installing/,
      );

      // A list signed by another key than the one served (a swapped list and signature): nothing is installed.
      const forged = await scriptFrom(await serve({ signingKey: async () => ({ ...key, privateKey: otherKey.privateKey }) }));
      const bad = await sh(args, forged.script, env);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/SHA256SUMS is not signed by the key [0-9a-f]{64}: not installing/);
      expect(await readFile(path.join(work, 'called'), 'utf8')).toBe('');

      // A token file others may read is refused.
      await chmod(tokenFile, 0o644);
      const loose = await sh(args, script, env);
      expect(loose.status).toBe(1);
      expect(loose.stderr).toMatch(/may be read by others; chmod 600 it first/);
    },
  );

  it('serves the public key whose fingerprint the dashboard shows, and a signature it verifies', async () => {
    const app = await serve();
    const pem = (await app.inject({ url: '/downloads/agent/signing-key.pem' })).body;
    expect(
      createHash('sha256')
        .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
        .digest('hex'),
    ).toBe(key.fingerprint);
    const sig = (await app.inject({ url: '/downloads/agent/SHA256SUMS.sig' })).rawPayload;
    expect(sig).toHaveLength(64);
    const file = path.join(work, 'sums.sig');
    await writeFile(file, sig);
    await writeFile(path.join(work, 'key.pem'), pem);
    const ok = spawnSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        path.join(work, 'key.pem'),
        '-rawin',
        '-in',
        path.join(dist, 'SHA256SUMS'),
        '-sigfile',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(ok.stdout).toMatch(/Signature Verified Successfully/);
  });

  it('asks for the fingerprint before anything else is done', async () => {
    const script = (await (await serve({ publicUrl: 'https://p.example.com' })).inject({ url: '/install.sh' })).body;
    const res = await sh(['-s'], script);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/--fingerprint is needed/);
  });
});

describe('GET /downloads/agent/:file', () => {
  it('serves the built files', async () => {
    const res = await (await serve()).inject({ url: '/downloads/agent/SHA256SUMS' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^[0-9a-f]{64} {2}plumbline-agent-0\.1\.0-linux-x86_64\.tar\.gz\n$/);
  });

  it.each(['..%2F..%2Fetc%2Fpasswd', 'SHA256SUMS%00', '.hidden', 'nope.deb', '%2Fetc%2Fpasswd'])('answers 404 for %s', async (name) => {
    const res = await (await serve()).inject({ url: `/downloads/agent/${name}` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'PLUMBLINE_ERR_NOT_FOUND' });
  });

  it('answers 404 with a reason when nothing is built', async () => {
    const res = await (await serve({ dir: path.join(work, 'missing') })).inject({ url: '/downloads/agent/SHA256SUMS' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'PLUMBLINE_ERR_NOT_FOUND', message: expect.stringMatching(/no agent packages on this server/) });
  });

  it('says clearly, and stops before doing anything, when no package is ready yet', async () => {
    const app = await serve({ dir: path.join(work, 'missing'), publicUrl: 'https://p.example.com' });
    const script = (await app.inject({ url: '/install.sh' })).body;
    expect(script).not.toMatch(/unknown/i);
    const file = path.join(work, 'not-ready.sh');
    await writeFile(file, script);
    expect(spawnSync('sh', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const res = await sh(['-s', '--', '--fingerprint', key.fingerprint], script);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^plumbline-agent install: not installed: no agent package is ready on https:\/\/p\.example\.com yet\.$/m);
    expect(res.stderr).toMatch(/pnpm build:agent/);
  });

  it('names the agent version it installs and the architectures it has', async () => {
    const script = (await (await serve({ publicUrl: 'https://p.example.com' })).inject({ url: '/install.sh' })).body;
    expect(script).toMatch(/^# Plumbline agent 0\.1\.0 installer/m);
    expect(script).toContain('for aarch64,x86_64 only, not for $ARCH');
  });
});
