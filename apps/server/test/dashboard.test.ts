import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from './helper';

const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-dash-'));
await mkdir(path.join(dir, 'assets'));
await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Plumbline</title><script src="/assets/app-abc123.js"></script>');
await writeFile(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
const t = await build({ dashboardDir: dir });
const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('the dashboard', () => {
  it('is served at / and at deep links, never cached, so a new build shows at the next load', async () => {
    for (const url of ['/', '/hosts/0b6f0c55-8d0e-4a55-9a5e-7d1c0c6b2a11?q=web']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>Plumbline</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable, and a missing one as 404 rather than HTML', async () => {
    const asset = await get('/assets/app-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    const missing = await get('/assets/app-old999.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
  });

  it('answers unknown API paths with a JSON 404, not the dashboard', async () => {
    const res = await get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('PLUMBLINE_ERR_NOT_FOUND');
  });
});
