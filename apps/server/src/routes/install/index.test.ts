import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRoutes, type InstallRoutesOptions } from './index';

let dist: string;
let work: string;
const apps: FastifyInstance[] = [];

/** The plugin on a bare Fastify, as app.ts registers it (the real app needs a database). */
async function serve(opts: InstallRoutesOptions = {}, trustProxy = false): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy });
  await app.register(installRoutes, { dir: dist, ...opts });
  apps.push(app);
  return app;
}

/** Runs sh without blocking the event loop: the server under test answers in this process. */
function sh(args: string[], input: string, env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
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
  await writeFile(path.join(top, 'plumbline-agent'), `#!/bin/sh\necho "$@" > "${work}/called"\n`);
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
  const sum = createHash('sha256').update(await readFile(path.join(dist, name))).digest('hex');
  await writeFile(path.join(dist, 'SHA256SUMS'), `${sum}  ${name}\n`);
  const files = ['x86_64', 'aarch64'].map((arch) => ({ file: name, arch, kind: 'tar' }));
  await writeFile(path.join(dist, 'manifest.json'), JSON.stringify({ version: '0.1.0', files }));
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await rm(work, { recursive: true, force: true });
});

describe('GET /install.sh', () => {
  it('is a POSIX sh script that verifies SHA-256 and enrolls against this server', async () => {
    const app = await serve();
    const res = await app.inject({ url: '/install.sh', headers: { host: 'plumbline.internal:8470' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/x-shellscript/);
    expect(res.body).toContain("SERVER='http://plumbline.internal:8470'");
    expect(res.body).toMatch(/sha256sum/);
    const file = path.join(work, 'install.sh');
    await writeFile(file, res.body);
    const check = spawnSync('sh', ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('uses the forwarded scheme and host only behind a trusted proxy', async () => {
    const headers = { host: '10.0.0.5:8470', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'plumbline.example.com' };
    expect((await (await serve({}, true)).inject({ url: '/install.sh', headers })).body).toContain("SERVER='https://plumbline.example.com'");
    expect((await (await serve({}, false)).inject({ url: '/install.sh', headers })).body).toContain("SERVER='http://10.0.0.5:8470'");
  });

  it('prefers the configured public URL', async () => {
    const app = await serve({ publicUrl: 'https://compliance.example.com/plumbline/' });
    expect((await app.inject({ url: '/install.sh' })).body).toContain("SERVER='https://compliance.example.com/plumbline'");
    await expect(serve({ publicUrl: "https://x.example.com/'; reboot #" })).rejects.toThrow(/PLUMBLINE_PUBLIC_URL/);
  });

  it('refuses a Host header that would inject shell', async () => {
    const app = await serve();
    const res = await app.inject({ url: '/install.sh', headers: { host: "x';reboot;'" } });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('reboot');
  });

  // The script refuses to run as anyone but root, as it must on a real host.
  it.skipIf(process.getuid?.() !== 0)('downloads, verifies and runs the agent installer with the token (tarball path)', async () => {
    const app = await serve();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const script = (await app.inject({ url: '/install.sh', headers: { host: new URL(url).host } })).body;
    // Only a tarball is offered, so the script neither runs dpkg nor rpm on this machine.
    const bin = path.join(work, 'bin');
    const res = await sh(['-s', '--', 'tok-123', '--no-start'], script, { ...process.env, PLUMBLINE_BIN_DIR: bin });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect((await readFile(path.join(work, 'called'), 'utf8')).trim()).toBe(`install --server ${url} --token tok-123 --no-start`);

    // A download that does not match SHA256SUMS is never installed.
    await writeFile(path.join(work, 'called'), '');
    const sums = await readFile(path.join(dist, 'SHA256SUMS'), 'utf8');
    await writeFile(path.join(dist, 'SHA256SUMS'), sums.replace(/^\w/, (c) => (c === '0' ? '1' : '0')));
    const bad = await sh(['-s', '--', 'tok-123'], script, { ...process.env, PLUMBLINE_BIN_DIR: bin });
    await writeFile(path.join(dist, 'SHA256SUMS'), sums);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/SHA-256 of .* not installing it/);
    expect(await readFile(path.join(work, 'called'), 'utf8')).toBe('');
  });

  it('asks for the token when none is given', async () => {
    const script = (await (await serve()).inject({ url: '/install.sh' })).body;
    const res = await sh(['-s'], script);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/usage: curl -fsSL .*install.sh \| sh -s -- ENROLLMENT_TOKEN/);
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
    expect(res.json()).toEqual({ code: 'PLUMBLINE_ERR_NOT_FOUND', message: expect.stringMatching(/not built/) });
  });
});
