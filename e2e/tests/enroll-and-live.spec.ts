import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectNoReload, markDocument, signIn, expect, test } from '../support/fixtures';
import { createHostRoot, sshdConfig, sshdConfigPath } from '../support/host-root';
import { AGENT_CLI, startProcess, stopProcessGroup } from '../support/processes';
import { HOSTNAME } from '../support/stack';

test('a host enrolls and a changed sshd setting shows up live', async ({ page, stack }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page).toHaveTitle(/Sign in/);

  await signIn(page);
  await expect(page).toHaveURL(`${stack.baseURL}/`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
  await expect(page).toHaveURL(/\/hosts$/);
  await markDocument(page);
  const hostLink = page.getByRole('link', { name: HOSTNAME, exact: true });
  await expect(hostLink).toBeVisible({ timeout: 45_000 });
  await expectNoReload(page);

  await hostLink.click();
  await expect(page.getByRole('heading', { level: 1, name: HOSTNAME })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const ssh = page.getByRole('region', { name: 'SSH server settings' });
  const permitRootLogin = ssh
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'PermitRootLogin', exact: true }) })
    .getByRole('cell')
    .first();
  await expect(permitRootLogin).toHaveText('no');

  await markDocument(page);
  await writeFile(sshdConfigPath(stack.hostRoot), sshdConfig('yes'));
  await expect(permitRootLogin).toHaveText('yes', { timeout: 30_000 });
  await expectNoReload(page);

  // The same change is listed in the host's history.
  await expect(
    page.getByRole('region', { name: 'Recent changes' }).getByRole('cell', { name: 'sshd_config', exact: true }).first(),
  ).toBeVisible();
});

test('a host that enrolls while the hosts list is open appears without a reload', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  await page.goto('/hosts');
  await expect(page.getByRole('link', { name: HOSTNAME, exact: true })).toBeVisible({ timeout: 45_000 });
  await markDocument(page);

  const lateName = 'e2e-late-host';
  const root = join(stack.tmpDir, 'late-host');
  await createHostRoot(root, lateName);
  const agent = startProcess(
    [
      AGENT_CLI,
      'run',
      '--server',
      stack.baseURL,
      '--token',
      stack.lateToken,
      '--root',
      root,
      '--state-dir',
      join(stack.tmpDir, 'late-state'),
      '--interval',
      '1s',
    ],
    { env: { ...process.env, NO_COLOR: '1' }, logFile: join(stack.logDir, 'agent-late.log') },
  );
  try {
    await expect(page.getByRole('link', { name: lateName, exact: true })).toBeVisible({ timeout: 45_000 });
    await expectNoReload(page);
  } finally {
    await stopProcessGroup(agent.pid);
  }
});
