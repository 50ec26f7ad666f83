import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const base = { PLUMBLINE_DATA_DIR: '/tmp/plumbline-config-test' };
const attempt = (env: Record<string, string>) => () => loadConfig({ ...base, ...env });

describe('loadConfig', () => {
  it('takes the defaults when nothing is set', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(8470);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBeUndefined();
  });

  it.each([
    ['PORT', '', /PORT: is set but empty.*default \(8470\)/],
    ['PORT', 'abc', /PORT: must be a whole number from 1 to 65535, not "abc"/],
    ['PORT', '0', /PORT: must be a whole number from 1 to 65535, not "0"/],
    ['PORT', '65536', /PORT: must be a whole number from 1 to 65535/],
    ['PORT', '-1', /PORT: must be a whole number/],
    ['PORT', '80.5', /PORT: must be a whole number/],
    ['PORT', '0x50', /PORT: must be a whole number/],
    ['PORT', '1e3', /PORT: must be a whole number/],
    ['HOST', '', /HOST: is set but empty/],
    ['DATABASE_URL', '', /DATABASE_URL: is set but empty/],
    ['PLUMBLINE_DATA_DIR', '', /PLUMBLINE_DATA_DIR: is set but empty/],
    ['PLUMBLINE_MIGRATIONS_DIR', '', /PLUMBLINE_MIGRATIONS_DIR: is set but empty/],
    ['PLUMBLINE_DASHBOARD_DIR', '', /PLUMBLINE_DASHBOARD_DIR: is set but empty/],
    ['LOG_LEVEL', '', /LOG_LEVEL: is set but empty/],
    ['PLUMBLINE_SECURE_COOKIES', '', /PLUMBLINE_SECURE_COOKIES: is set but empty/],
    ['PLUMBLINE_TRUST_PROXY', '', /PLUMBLINE_TRUST_PROXY: is set but empty/],
    ['PLUMBLINE_DB_POOL_SIZE', '', /PLUMBLINE_DB_POOL_SIZE: is set but empty/],
    ['PLUMBLINE_DB_POOL_SIZE', 'ten', /PLUMBLINE_DB_POOL_SIZE: must be a whole number from 1 to 200/],
    ['PLUMBLINE_WAIVER_MAX_DAYS', '', /PLUMBLINE_WAIVER_MAX_DAYS: is set but empty/],
    ['PLUMBLINE_TWO_PERSON_APPROVAL', '', /PLUMBLINE_TWO_PERSON_APPROVAL: is set but empty/],
    ['PLUMBLINE_TLS_CERT', '', /PLUMBLINE_TLS_CERT: is set but empty/],
    ['PLUMBLINE_TLS_KEY', '', /PLUMBLINE_TLS_KEY: is set but empty/],
    ['PLUMBLINE_WEBHOOK_ATTEMPTS', '', /PLUMBLINE_WEBHOOK_ATTEMPTS: is set but empty/],
    ['PLUMBLINE_WEBHOOK_BACKOFF_MS', '', /PLUMBLINE_WEBHOOK_BACKOFF_MS: is set but empty/],
    ['PLUMBLINE_WEBHOOK_TIMEOUT_MS', '', /PLUMBLINE_WEBHOOK_TIMEOUT_MS: is set but empty/],
    ['PLUMBLINE_WEBHOOK_ALLOW_PRIVATE', '', /PLUMBLINE_WEBHOOK_ALLOW_PRIVATE: is set but empty/],
    ['PLUMBLINE_OUTBOUND_POLL_MS', '', /PLUMBLINE_OUTBOUND_POLL_MS: is set but empty/],
    ['PLUMBLINE_SCORE_SAMPLE_SECONDS', '', /PLUMBLINE_SCORE_SAMPLE_SECONDS: is set but empty/],
    ['PLUMBLINE_WAIVER_SWEEP_SECONDS', '', /PLUMBLINE_WAIVER_SWEEP_SECONDS: is set but empty/],
    ['PLUMBLINE_HISTORY_RETENTION_DAYS', '', /PLUMBLINE_HISTORY_RETENTION_DAYS: is set but empty/],
    ['PLUMBLINE_SERVE_SOURCEMAPS', '', /PLUMBLINE_SERVE_SOURCEMAPS: is set but empty/],
    ['PLUMBLINE_SERVE_SOURCEMAPS', 'yes', /PLUMBLINE_SERVE_SOURCEMAPS: /],
  ])('refuses %s=%j', (name, value, message) => {
    expect(attempt({ [name]: value })).toThrow(message);
  });

  it('lists every bad setting in one error', () => {
    let message = '';
    try {
      loadConfig({ ...base, PORT: '', PLUMBLINE_DB_POOL_SIZE: 'x', LOG_LEVEL: 'loud' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('\n');
    for (const name of ['PORT', 'PLUMBLINE_DB_POOL_SIZE', 'LOG_LEVEL']) expect(message).toContain(`${name}: `);
  });

  it('accepts a whole number with the range', () => {
    expect(loadConfig({ ...base, PORT: '65535', PLUMBLINE_DB_POOL_SIZE: '1' })).toMatchObject({ port: 65535, dbPoolSize: 1 });
  });
});

describe('plumbline serve with a bad setting', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

  it('stops at start with one line naming it, and listens nowhere', () => {
    expect(existsSync(cli), 'build the server first (pnpm -s build)').toBe(true);
    const run = spawnSync(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, PORT: '', PLUMBLINE_DATA_DIR: '/tmp/plumbline-config-test-serve' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^plumbline: PLUMBLINE_ERR_CONFIG: invalid configuration: PORT: is set but empty/);
    expect(run.stdout).not.toMatch(/listening|ready/);
  });
});
