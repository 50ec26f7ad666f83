import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAgentConfig, renderAgentConfig } from './config-file';
import { install, uninstall, type InstallOptions } from './install';
import type { Systemctl } from './systemd';

let prefix: string;
const calls: string[][] = [];
/** Records what would be asked of systemd; the machine's own systemd is never touched. */
const fakeSystemctl: Systemctl = {
  running: () => true,
  version: async () => 256,
  run: async (args) => {
    calls.push(args);
    return { code: 0, out: '' };
  },
};
const base: InstallOptions = {
  server: 'https://plumbline.example.test',
  token: 'tok-123',
  start: true,
  interval: '30s',
  command: ['/usr/bin/plumbline-agent'],
};
const mode = async (p: string) => ((await stat(path.join(prefix, p))).mode & 0o777).toString(8);
const read = (p: string) => readFile(path.join(prefix, p), 'utf8');

beforeEach(async () => {
  prefix = await mkdtemp(path.join(tmpdir(), 'plumbline-install-'));
  calls.length = 0;
});
afterEach(() => rm(prefix, { recursive: true, force: true }));

describe('install --prefix', () => {
  it('writes the config 0600, the state directory 0700 and the unit, and starts nothing', async () => {
    const out = await install({ ...base, prefix }, { systemctl: fakeSystemctl });
    expect(await mode('etc/plumbline/agent.yaml')).toBe('600');
    expect(await mode('var/lib/plumbline')).toBe('700');
    expect(await mode('var/cache/plumbline')).toBe('700');
    expect(await mode('var/lib')).toBe('755');
    expect(await mode('etc/systemd/system/plumbline-agent.service')).toBe('644');
    const unit = await read('etc/systemd/system/plumbline-agent.service');
    expect(unit).toContain('ExecStart=/usr/bin/plumbline-agent run --config /etc/plumbline/agent.yaml');
    expect(unit).toContain('Environment="NODE_OPTIONS=--max-semi-space-size=1 --jitless --expose-gc"');
    expect(unit).toContain('MemoryDenyWriteExecute=yes');
    expect(calls).toEqual([]);
    expect(out.at(-1)).toMatch(/systemctl enable --now plumbline-agent.service/);
  });

  it('writes a config that round-trips through the schema `run` reads', async () => {
    await install({ ...base, prefix, interval: '5m' });
    const parsed = parseAgentConfig(await read('etc/plumbline/agent.yaml'));
    expect(parsed).toEqual({
      success: true,
      data: { server: 'https://plumbline.example.test', token: 'tok-123', state_dir: '/var/lib/plumbline', interval: '5m' },
    });
    if (parsed.success) expect(renderAgentConfig(parsed.data)).toBe(await read('etc/plumbline/agent.yaml'));
  });

  it('is idempotent, and keeps an existing credential without storing the token again', async () => {
    await install({ ...base, prefix });
    const first = [await read('etc/plumbline/agent.yaml'), await read('etc/systemd/system/plumbline-agent.service')];
    await install({ ...base, prefix });
    expect([await read('etc/plumbline/agent.yaml'), await read('etc/systemd/system/plumbline-agent.service')]).toEqual(first);

    await writeFile(path.join(prefix, 'var/lib/plumbline/credential'), 'cred-abc\n', { mode: 0o600 });
    const out = await install({ ...base, prefix });
    expect(await read('var/lib/plumbline/credential')).toBe('cred-abc\n');
    expect(await read('etc/plumbline/agent.yaml')).not.toContain('tok-123');
    expect(out[0]).toMatch(/credential kept/);
  });

  it('copies the CA next to the config and records it with the pin', async () => {
    const ca = path.join(prefix, 'ca.pem');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const pin = `sha256/${'A'.repeat(43)}=`;
    await install({ ...base, prefix: path.join(prefix, 'root'), ca, pin });
    expect(await mode('root/etc/plumbline/ca.pem')).toBe('644');
    expect(await read('root/etc/plumbline/ca.pem')).toContain('BEGIN CERTIFICATE');
    expect(await read('root/etc/plumbline/agent.yaml')).toContain(`ca: /etc/plumbline/ca.pem\npin: ${pin}\n`);
  });

  it('refuses bad input and writes nothing', async () => {
    await expect(install({ ...base, prefix, server: 'ftp://x' })).rejects.toThrow(/--server/);
    await expect(install({ ...base, prefix, interval: '10ms' })).rejects.toThrow(/--interval/);
    await expect(install({ ...base, prefix, token: ' ' })).rejects.toThrow(/--token/);
    await writeFile(path.join(prefix, 'not-a-cert'), 'hello');
    await expect(install({ ...base, prefix, ca: path.join(prefix, 'not-a-cert') })).rejects.toThrow(/no PEM certificate/);
    await expect(install({ ...base, prefix, pin: 'md5/abc' })).rejects.toThrow(/pin: must be sha256/);
    expect(existsSync(path.join(prefix, 'etc'))).toBe(false);
  });

  it('on a live host with systemd: reloads, enables and (re)starts the service', async () => {
    const out = await install(base, { systemctl: fakeSystemctl, isRoot: true, hostRoot: prefix });
    expect(calls).toEqual([['daemon-reload'], ['enable', 'plumbline-agent.service'], ['restart', 'plumbline-agent.service']]);
    expect(out.at(-1)).toMatch(/started plumbline-agent.service/);
    // systemd 256 understands the exponential restart backoff.
    expect(await read('etc/systemd/system/plumbline-agent.service')).toContain('RestartSteps=');
    calls.length = 0;
    await uninstall({ purge: false }, { systemctl: fakeSystemctl, isRoot: true, hostRoot: prefix });
    expect(calls).toEqual([['disable', '--now', 'plumbline-agent.service'], ['daemon-reload']]);
  });

  it('without systemd, or with --no-start, says what to run instead', async () => {
    const noSystemd = { ...fakeSystemctl, running: () => false };
    const out = await install(base, { systemctl: noSystemd, isRoot: true, hostRoot: prefix });
    expect(out.at(-1)).toMatch(/systemd is not running.*plumbline-agent run --config \/etc\/plumbline\/agent.yaml/);
    const noStart = await install({ ...base, start: false }, { systemctl: fakeSystemctl, isRoot: true, hostRoot: prefix });
    expect(noStart.at(-1)).toMatch(/--no-start/);
    expect(calls).toEqual([]);
  });

  it('needs root without --prefix', async () => {
    await expect(install(base, { isRoot: false, systemctl: fakeSystemctl })).rejects.toThrow(/as root/);
  });
});

describe('uninstall --prefix', () => {
  it('removes the unit and keeps config and state; --purge removes them too', async () => {
    await install({ ...base, prefix });
    await mkdir(path.join(prefix, 'var/lib/plumbline/spool'), { recursive: true });
    await uninstall({ prefix, purge: false }, { systemctl: fakeSystemctl });
    expect(existsSync(path.join(prefix, 'etc/systemd/system/plumbline-agent.service'))).toBe(false);
    expect(existsSync(path.join(prefix, 'etc/plumbline/agent.yaml'))).toBe(true);
    const out = await uninstall({ prefix, purge: true }, { systemctl: fakeSystemctl });
    for (const d of ['etc/plumbline', 'var/lib/plumbline', 'var/cache/plumbline']) expect(existsSync(path.join(prefix, d))).toBe(false);
    expect(out.join('\n')).toMatch(/removed .*var\/lib\/plumbline/);
    expect(calls).toEqual([]);
    // Nothing left to remove is not an error.
    await expect(uninstall({ prefix, purge: true })).resolves.toBeDefined();
  });

  it('never purges a state_dir that is not plainly the agent’s', async () => {
    await install({ ...base, prefix });
    await mkdir(path.join(prefix, 'var/keep'), { recursive: true });
    await writeFile(path.join(prefix, 'etc/plumbline/agent.yaml'), 'server: https://x.test\nstate_dir: /var\n');
    await uninstall({ prefix, purge: true });
    expect(existsSync(path.join(prefix, 'var/keep'))).toBe(true);
  });
});

describe('the CLI', () => {
  it('install --prefix and status --prefix through the built command line', async () => {
    const cli = path.resolve(import.meta.dirname, '../../../../node_modules/.bin/tsx');
    const entry = path.resolve(import.meta.dirname, '../cli.ts');
    const run = (...args: string[]) => execFileSync(cli, [entry, ...args], { encoding: 'utf8' });
    const tokenFile = path.join(prefix, 'token');
    await writeFile(tokenFile, 'ple_from-a-file\n', { mode: 0o600 });
    run('install', '--prefix', prefix, '--server', 'https://plumbline.example.test', '--token-file', tokenFile, '--no-start');
    expect(run('status', '--prefix', prefix)).toMatch(/credential:\s+absent; enrollment token stored/);
    expect(await readFile(path.join(prefix, 'etc/plumbline/agent.yaml'), 'utf8')).toMatch(/^token: ple_from-a-file$/m);
  });

  it('takes the token on stdin, refuses a token file others can read, and warns about --token', async () => {
    const cli = path.resolve(import.meta.dirname, '../../../../node_modules/.bin/tsx');
    const entry = path.resolve(import.meta.dirname, '../cli.ts');
    const args = ['install', '--prefix', prefix, '--server', 'https://plumbline.example.test', '--no-start'];
    execFileSync(cli, [entry, ...args, '--token-stdin'], { encoding: 'utf8', input: 'ple_from-stdin\n' });
    expect(await readFile(path.join(prefix, 'etc/plumbline/agent.yaml'), 'utf8')).toMatch(/^token: ple_from-stdin$/m);
    const loose = path.join(prefix, 'loose-token');
    await writeFile(loose, 'ple_x\n', { mode: 0o644 });
    const refused = spawnSync(cli, [entry, ...args, '--token-file', loose], { encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--token-file: .*loose-token may be read by others; chmod 600 it first/);
    const argv = spawnSync(cli, [entry, ...args, '--token', 'ple_on-argv'], { encoding: 'utf8' });
    expect(argv.status).toBe(0);
    expect(argv.stderr).toMatch(/warning: --token puts the enrollment token on the command line/);
  });
});
