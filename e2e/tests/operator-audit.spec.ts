import { expect, screenshot, signIn, test } from '../support/fixtures';

/**
 * The audit page of its own (filters by actor, action from a list and target, in the URL; the
 * target named and linked; the filtered CSV), one word for waivers in the navigation, and every
 * main page fitting an 800 px wide window. Screenshots: `operator-audit*.png`, `operator-800-*.png`.
 */

test('the audit trail has its own page with filters, names and CSV', async ({ page, stack }) => {
  test.setTimeout(240_000);
  await page.goto('/login');
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Waivers' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Exceptions' })).toHaveCount(0);

  // Something to find: a host changes tags.
  await page.goto('/hosts');
  const hosts = page.getByRole('table', { name: /^Hosts, sorted by/ });
  await hosts.getByRole('checkbox', { name: 'Select web-01' }).check();
  const bar = page.getByRole('region', { name: 'Bulk changes' });
  await bar.getByLabel('Tag').fill('audited');
  await bar.getByRole('button', { name: 'Add tag' }).click();
  await expect(bar.getByRole('status')).toContainText('updated');

  await nav.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Filter the audit trail' });
  const action = filters.getByLabel('Action');
  await expect(action.locator('option', { hasText: 'waiver.create' })).toHaveCount(1);
  await action.selectOption('host.update');
  await expect(page).toHaveURL(/action=host\.update/);
  const table = page.getByRole('table', { name: 'Audit trail, newest first' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  for (const text of await table.locator('tbody tr td:nth-of-type(4)').allTextContents()) expect(text).toBe('host.update');
  // The target is named by its hostname, not its UUID, and opens the host.
  const target = table.locator('tbody tr').first().locator('td').nth(4).getByRole('link');
  await expect(target).toHaveText('web-01');
  await filters.getByLabel('Actor').fill('user:admin@example.com');
  await filters.getByLabel('Actor').press('Enter');
  await expect(page).toHaveURL(/actor=user%3Aadmin%40example\.com/);
  // The target filter takes the name a person reads.
  await filters.getByLabel('Target').fill('web-01');
  await filters.getByLabel('Target').press('Enter');
  await expect(page).toHaveURL(/target=web-01/);
  await expect.poll(async () => [...new Set(await table.locator('tbody tr td:nth-of-type(5)').allTextContents())]).toEqual(['web-01']);
  const csv = new URL((await filters.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!, stack.baseURL);
  expect(Object.fromEntries(csv.searchParams)).toMatchObject({
    format: 'csv',
    action: 'host.update',
    actor: 'user:admin@example.com',
    target: 'web-01',
  });
  await page.reload();
  await expect(action).toHaveValue('host.update');
  await expect(filters.getByLabel('Actor')).toHaveValue('user:admin@example.com');
  await expect(filters.getByLabel('Target')).toHaveValue('web-01');
  await screenshot(page, stack, 'operator-audit');

  await target.click();
  await expect(page.getByRole('heading', { level: 1, name: 'web-01' })).toBeVisible();

  // 800 px wide: the header wraps, nothing makes the page scroll sideways.
  await page.setViewportSize({ width: 800, height: 900 });
  for (const [path, name] of [
    ['/', 'overview'],
    ['/hosts', 'hosts'],
    ['/drift', 'drift'],
    ['/waivers', 'waivers'],
    ['/audit', 'audit'],
    ['/rules', 'rules'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} is wider than the window by ${overflow}px`).toBeLessThanOrEqual(0);
    const header = (await page.locator('.app-header').boundingBox())!;
    expect(header.width).toBeLessThanOrEqual(800);
    if (name === 'overview' || name === 'hosts' || name === 'audit') await screenshot(page, stack, `operator-800-${name}`);
  }
});
