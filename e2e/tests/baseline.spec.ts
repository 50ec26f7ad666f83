import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoReload, markDocument, signIn, test } from '../support/fixtures';
import { sshdConfig, sshdConfigPath } from '../support/host-root';
import { ADMIN_EMAIL, HOSTNAME } from '../support/stack';

async function shot(page: Page, dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

test('approving the host state as baseline, then comparing with it, shows no differences', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  await page.goto('/hosts');
  const link = page.getByRole('link', { name: HOSTNAME, exact: true });
  await expect(link).toBeVisible({ timeout: 45_000 });
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: HOSTNAME })).toBeVisible();

  const section = page.getByRole('region', { name: 'Baseline', exact: true });
  const compare = section.getByRole('region', { name: 'Compare with baseline' });
  // Before any approval the section says so, and there is nothing to compare with.
  await expect(section.getByText('No baseline approved for this host')).toBeVisible();
  await expect(compare.getByText('Nothing to compare with')).toBeVisible();

  // Approval is a two-step action: the confirmation says what it does; cancelling changes nothing.
  await section.getByRole('button', { name: 'Approve current state as baseline' }).click();
  const confirm = section.getByRole('form', { name: 'Confirm baseline approval' });
  await expect(confirm).toContainText(`Approve the facts and rule verdicts ${HOSTNAME} reports now as its baseline?`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(section.getByText('No baseline approved for this host')).toBeVisible();

  await section.getByRole('button', { name: 'Approve current state as baseline' }).click();
  await confirm.getByLabel('Note (optional)').fill('Reviewed after the CIS hardening run');
  await confirm.getByRole('button', { name: 'Approve baseline' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Baseline approved.' })).toBeVisible();

  const approved = section.getByRole('definition').filter({ hasText: ADMIN_EMAIL });
  await expect(approved).toBeVisible();
  await expect(section.getByText('Reviewed after the CIS hardening run')).toBeVisible();
  await expect(compare.getByText('No differences from the baseline')).toBeVisible();
  const dir = join(stack.logDir, 'screenshots');
  await shot(page, dir, 'journey-baseline-approved');
  // The section alone, readable at a glance (the host page is long).
  await section.screenshot({ path: join(dir, 'journey-baseline-section.png') });

  // The host departs from its baseline: the comparison shows it live, fact path and verdict.
  await markDocument(page);
  await writeFile(sshdConfigPath(stack.hostRoot), sshdConfig('yes'));
  try {
    const facts = compare.getByRole('table', { name: /Facts that differ from the baseline/ });
    const row = facts.getByRole('row').filter({ hasText: 'sshd_config.settings.permitrootlogin.value' });
    await expect(row.getByRole('cell')).toHaveText(['sshd_config.settings.permitrootlogin.value', 'no', 'yes'], { timeout: 30_000 });
    const verdicts = compare.getByRole('table', { name: /Rule verdicts that differ from the baseline/ });
    await expect(verdicts.getByRole('row').filter({ hasText: 'plb-ssh-permit-root-login' }).getByRole('cell').nth(2)).toHaveText('Fail');
    await expectNoReload(page);
    await section.screenshot({ path: join(dir, 'journey-baseline-differences.png') });
  } finally {
    // Back to the approved state, for the journeys that follow.
    await writeFile(sshdConfigPath(stack.hostRoot), sshdConfig('no'));
  }
  await expect(compare.getByText('No differences from the baseline')).toBeVisible({ timeout: 30_000 });
});
