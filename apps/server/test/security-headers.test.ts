import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { build } from './helper';

/**
 * Every response carries the browser protections: a strict Content-Security-Policy (no inline
 * script or style, nothing from other origins, no framing), nosniff, no Referer, and HSTS only
 * when the server itself speaks TLS. Source maps are not served unless asked for.
 */
const plain = await build();
const certDir = mkdtempSync(path.join(tmpdir(), 'plumbline-tls-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    path.join(certDir, 'key.pem'),
    '-out',
    path.join(certDir, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);
const tlsConfig = loadConfig({
  PLUMBLINE_TLS_CERT: path.join(certDir, 'cert.pem'),
  PLUMBLINE_TLS_KEY: path.join(certDir, 'key.pem'),
  PLUMBLINE_SERVE_SOURCEMAPS: 'true',
});
const secure = await build({ tls: tlsConfig.tls, serveSourceMaps: tlsConfig.serveSourceMaps });

const dashboardDir = loadConfig({}).dashboardDir!;
const aMap = readdirSync(path.join(dashboardDir, 'assets')).find((f) => f.endsWith('.js.map'))!;

type Headers = Record<string, string | string[] | undefined>;
async function head(
  base: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: string }> {
  if (base.startsWith('https:')) {
    return new Promise((resolve, reject) => {
      https
        .get(`${base}${url}`, { rejectUnauthorized: false, headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        })
        .on('error', reject);
    });
  }
  const res = await fetch(`${base}${url}`, { headers });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

/** The CSP as a map of directive -> sources. */
function csp(headers: Headers): Map<string, string[]> {
  const raw = String(headers['content-security-policy'] ?? '');
  return new Map(
    raw
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name!, sources];
      }),
  );
}

const PAGES = ['/', '/hosts/some-host', '/settings'];
const API = ['/api/v1/hosts', '/api/v1/no-such-thing', '/healthz', '/api/openapi.json'];

describe('security headers', () => {
  it.each([...PAGES, ...API])('%s carries the strict policy', async (url) => {
    const { headers } = await head(plain.url, url);
    const policy = csp(headers);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    expect(String(headers['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval|https:|\*/);
    // Over plain HTTP, upgrading would break every asset load.
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  it('the built dashboard has no inline script or style for the policy to block', () => {
    const html = readFileSync(path.join(dashboardDir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves HSTS and upgrades requests only over TLS', async () => {
    expect(secure.url).toMatch(/^https:/);
    for (const url of ['/', '/api/v1/hosts']) {
      const { headers } = await head(secure.url, url);
      expect(headers['strict-transport-security']).toMatch(/^max-age=\d{8,}/);
      expect(csp(headers).has('upgrade-insecure-requests')).toBe(true);
      expect(headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('source maps', () => {
  it('are a 404 by default, under /assets/ and anywhere else', async () => {
    expect((await head(plain.url, `/assets/${aMap}`)).status).toBe(404);
    expect((await head(plain.url, `/${aMap}`)).status).toBe(404);
    expect((await head(plain.url, '/hosts/x.js.map')).status).toBe(404);
  });

  it('the scripts themselves are still served', async () => {
    const js = aMap.replace(/\.map$/, '');
    const res = await head(plain.url, `/assets/${js}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('are served when PLUMBLINE_SERVE_SOURCEMAPS=true', async () => {
    const res = await head(secure.url, `/assets/${aMap}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).version).toBe(3);
  });
});
