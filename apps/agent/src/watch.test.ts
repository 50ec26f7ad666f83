import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { watchConfig } from './watch';

const root = await mkdtemp(path.join(tmpdir(), 'plumbline-watch-'));
await mkdir(path.join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
await writeFile(path.join(root, 'etc/ssh/sshd_config'), 'PermitRootLogin no\n');
afterAll(() => rm(root, { recursive: true, force: true }));

const waitFor = async (cond: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

describe('watchConfig', () => {
  it('reports one burst of edits to a watched file once, soon after', async () => {
    let calls = 0;
    const stop = watchConfig(root, () => calls++, pino({ level: 'silent' }), 100);
    const file = path.join(root, 'etc/ssh/sshd_config');
    await writeFile(file, 'PermitRootLogin yes\n');
    await writeFile(file, 'PermitRootLogin yes\nX11Forwarding no\n');
    await waitFor(() => calls > 0, 2000);
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(calls).toBe(1);
  });

  it('sees a new drop-in file', async () => {
    let calls = 0;
    const stop = watchConfig(root, () => calls++, pino({ level: 'silent' }), 50);
    await writeFile(path.join(root, 'etc/ssh/sshd_config.d/10-site.conf'), 'PasswordAuthentication no\n');
    await waitFor(() => calls > 0, 2000);
    stop();
    expect(calls).toBe(1);
  });

  it('ignores files outside the watched directories', async () => {
    let calls = 0;
    await mkdir(path.join(root, 'srv'), { recursive: true });
    const stop = watchConfig(root, () => calls++, pino({ level: 'silent' }), 50);
    await writeFile(path.join(root, 'srv/data.txt'), 'x');
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(calls).toBe(0);
  });
});
