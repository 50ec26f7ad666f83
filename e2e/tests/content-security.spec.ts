import type { Page } from '@playwright/test';
import { expect, signIn, test } from '../support/fixtures';
import { LIVE_FLEET_HOST } from '../support/fleet';

/**
 * The dashboard works under its strict Content-Security-Policy: every main page renders, the
 * live feed connects, and the browser reports no policy violation on the way (neither as a
 * `securitypolicyviolation` event nor as a console error).
 */

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

/** Records every violation the page's document sees, from before its first script runs. */
async function watchViolations(page: Page): Promise<{ console: string[]; read(): Promise<Violation[]> }> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text())) consoleErrors.push(m.text());
  });
  return {
    console: consoleErrors,
    read: () => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations),
  };
}

test('every main page works under the Content-Security-Policy, with no violation', async ({ page }) => {
  const violations = await watchViolations(page);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));

  const first = await page.goto('/login');
  const policy = first?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');

  await signIn(page);
  // The live feed connects over ws: to the same origin ('self').
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  expect(sockets.some((u) => u.endsWith('/api/v1/live'))).toBe(true);

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Hosts', 'Drift', 'Waivers', 'Rules', 'Reports', 'Settings', 'Overview']) {
    await nav.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // A host's page (charts, evidence) and a rule's page.
  await page.goto('/hosts');
  await page
    .getByRole('table', { name: /^Hosts/ })
    .getByRole('link', { name: LIVE_FLEET_HOST, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: LIVE_FLEET_HOST })).toBeVisible();
  await page.goto('/rules');
  await page.getByRole('table').first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  expect(await violations.read()).toEqual([]);
  expect(violations.console).toEqual([]);

  // The watch itself works: an inline script, as an injection would add, is refused and seen.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
  });
  await expect.poll(async () => (await violations.read()).map((v) => v.directive)).toContain('script-src-elem');
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});

test('the dashboard cannot be framed by another page', async ({ page, baseURL }) => {
  const violations: string[] = [];
  page.on('console', (m) => violations.push(m.text()));
  await page.setContent(`<iframe id="f" src="${baseURL}/login"></iframe>`);
  // Chromium refuses the frame (frame-ancestors 'none' / X-Frame-Options DENY) and says so.
  await expect.poll(() => violations.some((t) => /frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(t))).toBe(true);
  const frame = page.frame({ url: /\/login/ });
  const framedText = frame
    ? await frame
        .locator('body')
        .innerText()
        .catch(() => '')
    : '';
  expect(framedText).not.toContain('Sign in');
});
