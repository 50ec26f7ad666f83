import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { expect, signIn, test } from '../support/fixtures';
import { HOSTNAME } from '../support/stack';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function expectAccessible(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const minor = results.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length > 0) console.log(`[axe] ${name}: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, `serious or critical axe violations on ${name}`).toEqual([]);
}

async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('every page has no serious accessibility violations', async ({ page, stack }, testInfo) => {
      // Axe over every page of the dashboard: 1.1-1.3 min on a quiet machine, more than 90 s on a busy one.
      test.setTimeout(300_000);
      const shots = join(stack.logDir, 'screenshots');

      await page.goto('/login');
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await expectAccessible(page, testInfo, `login-${colorScheme}`);
      await screenshot(page, shots, `login-${colorScheme}`);

      await signIn(page);
      await page.goto('/hosts');
      const hostLink = page.getByRole('link', { name: HOSTNAME, exact: true });
      await expect(hostLink).toBeVisible({ timeout: 45_000 });
      await expectAccessible(page, testInfo, `hosts-${colorScheme}`);
      await screenshot(page, shots, `hosts-${colorScheme}`);

      await hostLink.click();
      await expect(page.getByRole('heading', { level: 1, name: HOSTNAME })).toBeVisible();
      await expect(page.getByRole('region', { name: 'SSH server settings' }).getByRole('table')).toBeVisible();
      await expect(page.getByRole('region', { name: 'Recent changes' }).getByRole('status')).toHaveCount(0);
      await page
        .getByRole('button', { name: /^host\b/ })
        .first()
        .click();
      // One result opened, with its evidence, remediation and the waive form.
      const compliance = page.getByRole('region', { name: 'Compliance', exact: true });
      const result = compliance.locator('details').first();
      await expect(result).toBeVisible({ timeout: 45_000 });
      await result.locator('summary').click();
      const waive = result.getByRole('button', { name: /^Waive / });
      if (await waive.count()) await waive.click();
      await expectAccessible(page, testInfo, `host-${colorScheme}`);
      await screenshot(page, shots, `host-${colorScheme}`);

      const pages: [string, string, RegExp][] = [
        ['/', 'overview', /Fleet overview/],
        ['/drift', 'drift', /^Drift$/],
        ['/waivers', 'waivers', /^Waivers$/],
        ['/rules', 'rules', /^Rules$/],
        ['/rules/plb-ssh-max-auth-tries', 'rule', /./],
        ['/settings', 'settings', /^Settings$/],
        ['/reports', 'reports', /^Reports$/],
        ['/reports?format=csv&scope=host%3A00000000-0000-4000-8000-000000000000', 'reports-host-scope', /^Reports$/],
        ['/hosts?online=true&minScore=0&maxScore=100&os=debian', 'hosts-filtered', /^Hosts$/],
      ];
      for (const [path, name, heading] of pages) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
        // Wait for the page's data: no loading indicator left.
        await expect(page.locator('.state-loading')).toHaveCount(0, { timeout: 30_000 });
        await expectAccessible(page, testInfo, `${name}-${colorScheme}`);
        await screenshot(page, shots, `${name}-${colorScheme}`);
      }

      // The settings forms that open on demand: a new group's policy editor with a tailored
      // rule and an allow-list row, and the host header's group and tags editor.
      await page.goto('/settings');
      await page.getByRole('button', { name: 'New group…' }).click();
      const editor = page.getByRole('form', { name: 'New group' });
      await editor.getByRole('button', { name: 'Add a rule' }).click();
      await editor.getByRole('button', { name: /Add the MQTT broker ports/ }).click();
      await expect(editor.getByRole('group', { name: 'Allowed port 4' })).toBeVisible();
      await expectAccessible(page, testInfo, `settings-group-editor-${colorScheme}`);
      await screenshot(page, shots, `settings-group-editor-${colorScheme}`);

      await page.goto('/hosts');
      await page.getByRole('link', { name: HOSTNAME, exact: true }).click();
      await page.getByRole('button', { name: 'Change group and tags' }).click();
      await expect(page.getByRole('form', { name: `Group and tags of ${HOSTNAME}` })).toBeVisible();
      await expectAccessible(page, testInfo, `host-membership-${colorScheme}`);
    });
  });
}
