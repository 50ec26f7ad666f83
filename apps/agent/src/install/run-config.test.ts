import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunFlags } from './run-config';

let dir: string;
const defaults = { stateDir: '/var/lib/plumbline', interval: '30s' };
const fromDefaults = () => 'default';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'plumbline-run-config-'));
  await writeFile(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
  await writeFile(
    path.join(dir, 'agent.yaml'),
    `server: https://p.example.test\ntoken: tok\nstate_dir: ${dir}/state\ninterval: 1m\nca: ${dir}/ca.pem\npin: sha256/${'B'.repeat(43)}=\n`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('run --config', () => {
  it('takes every setting from the file, with the CA and the pin as TLS options', async () => {
    const o = await resolveRunFlags({ ...defaults, config: path.join(dir, 'agent.yaml') }, fromDefaults);
    expect(o).toMatchObject({ server: 'https://p.example.test', token: 'tok', stateDir: `${dir}/state`, interval: '1m' });
    expect(o.tls?.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(o.tls?.pin).toBe(`sha256/${'B'.repeat(43)}=`);
  });

  it('lets flags given on the command line win over the file', async () => {
    const o = await resolveRunFlags(
      { config: path.join(dir, 'agent.yaml'), stateDir: '/tmp/s', interval: '5s', token: 'other' },
      () => 'cli',
    );
    expect(o).toMatchObject({ server: 'https://p.example.test', token: 'other', stateDir: '/tmp/s', interval: '5s' });
  });

  it('reads no file when --server is given without --config', async () => {
    const o = await resolveRunFlags({ ...defaults, server: 'http://127.0.0.1:1' }, fromDefaults);
    expect(o).toEqual({ ...defaults, server: 'http://127.0.0.1:1' });
  });

  it('says which file is missing or wrong', async () => {
    await expect(resolveRunFlags({ ...defaults, config: path.join(dir, 'nope.yaml') }, fromDefaults)).rejects.toThrow(
      /nope.yaml: no such file/,
    );
    await writeFile(path.join(dir, 'bad.yaml'), 'server: https://p.example.test\ninterval: 10ms\n');
    await expect(resolveRunFlags({ ...defaults, config: path.join(dir, 'bad.yaml') }, fromDefaults)).rejects.toThrow(
      /bad.yaml: interval: must be a duration/,
    );
  });
});
