import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoReload, markDocument, signIn, test } from '../support/fixtures';
import { HOSTNAME } from '../support/stack';

/** A rule the fixture fails whatever the other specs do to PermitRootLogin. */
const RULE = 'plb-ssh-max-auth-tries';

async function shot(page: Page, dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

async function openHost(page: Page): Promise<void> {
  await page.goto('/hosts');
  const link = page.getByRole('link', { name: HOSTNAME, exact: true });
  await expect(link).toBeVisible({ timeout: 45_000 });
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: HOSTNAME })).toBeVisible();
}

test('the overview shows the fleet score, with and without waivers', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  const score = page.getByRole('region', { name: 'Score', exact: true });
  await expect(score).toBeVisible();
  const figures = score.getByRole('list', { name: 'Fleet figures' });
  // The agent's first snapshot is evaluated within seconds; the summary follows live.
  await expect(
    figures
      .getByRole('listitem')
      .filter({ hasText: /^\d+(\.\d)?%Score/ })
      .first(),
  ).toBeVisible({ timeout: 45_000 });
  await expect(figures.getByText('Score with waivers')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Score distribution' }).getByRole('list', { name: 'Hosts by score' })).toBeVisible();
  const topRule = page.getByRole('region', { name: 'Fix first: rules' }).getByRole('table').getByRole('link').first();
  await expect(topRule).toBeVisible();
  await shot(page, join(stack.logDir, 'screenshots'), 'journey-overview');

  // A rule to fix first opens its page: text, references and the hosts failing it.
  await topRule.click();
  await expect(page).toHaveURL(/\/rules\/[^/]+$/);
  await expect(page.getByRole('region', { name: 'Hosts failing this rule' }).getByRole('link', { name: HOSTNAME })).toBeVisible();
});

test('a failing result shows its evidence and source, and can be waived', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  await openHost(page);

  const compliance = page.getByRole('region', { name: 'Compliance', exact: true });
  await compliance.getByLabel('Find a rule').fill(RULE);
  await expect(page).toHaveURL(new RegExp(`rq=${RULE}`));
  const result = compliance.locator('details').filter({ hasText: RULE });
  await expect(result).toHaveCount(1);
  await expect(result.locator('summary')).toContainText('Fail');
  await expect(result.locator('summary')).toContainText('sshd_config');

  await result.locator('summary').click();
  const evidence = result.getByRole('table', { name: /Evidence/ });
  await expect(evidence.getByRole('cell', { name: /sshd_config/ })).toBeVisible();
  await expect(result.getByRole('heading', { name: 'Rationale' })).toBeVisible();
  await expect(result.getByRole('button', { name: 'Copy Shell remediation' })).toBeVisible();
  await expect(result.getByRole('button', { name: 'Copy Ansible task' })).toBeVisible();
  await expect(result.getByText('NIST 800-53')).toBeVisible();

  await markDocument(page);
  await result.getByRole('button', { name: /^Waive / }).click();
  const form = result.getByRole('form', { name: `Waive ${RULE}` });
  await form.getByLabel('Justification').fill('too short');
  await form.getByRole('button', { name: 'Create waiver' }).click();
  await expect(form.getByRole('alert')).toContainText('at least 10 characters');
  await form.getByLabel('Justification').fill('Bastion only reachable over the VPN; tracked in OPS-1234.');
  await form.getByRole('button', { name: 'Create waiver' }).click();

  // The same row, still open, is now marked waived; the waiver is listed for the host.
  await expect(result.locator('summary')).toContainText('Waived');
  await expect(result.getByText(/Bastion only reachable over the VPN/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Waivers on this host' }).getByRole('link', { name: RULE })).toBeVisible();
  await expectNoReload(page);
  await shot(page, join(stack.logDir, 'screenshots'), 'journey-host-waived');

  // The waivers page lists it as active, with a revoke action for an admin.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Waivers' }).click();
  const waivers = page.getByRole('region', { name: 'Waivers', exact: true });
  await expect(waivers.getByRole('link', { name: RULE })).toBeVisible();
  await expect(waivers.getByRole('button', { name: `Revoke waiver for ${RULE}` })).toBeVisible();
});

test('the drift feed shows a change on the host live, and keeps its filters in the URL', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drift' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Drift' })).toBeVisible();
  await page.getByLabel('Kind').selectOption('compliance');
  await expect(page).toHaveURL(/kind=compliance/);
  await markDocument(page);

  // A drop-in read before the rest of sshd_config: fixes LoginGraceTime, leaves PermitRootLogin alone.
  await writeFile(join(stack.hostRoot, 'etc/ssh/sshd_config.d/10-e2e.conf'), 'LoginGraceTime 60\n');
  const row = page.getByRole('row').filter({ hasText: 'Unauthenticated SSH connections time out within a minute' });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText('Improvement');
  await expect(row.getByRole('link', { name: HOSTNAME })).toBeVisible();
  await expectNoReload(page);
  await shot(page, join(stack.logDir, 'screenshots'), 'journey-drift');

  await page.reload();
  await expect(page.getByLabel('Kind')).toHaveValue('compliance');
});
