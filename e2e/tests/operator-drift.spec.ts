import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, screenshot, signIn, test } from '../support/fixtures';
import { fleetRoot, LIVE_FLEET_HOST } from '../support/fleet';

/**
 * The drift page an operator reads, on the seeded fleet: one line of a fleet host's sshd_config
 * changes and changes back; the page, filtered by host, kind, direction, time and text (all in the
 * URL, surviving a reload), reads `no → yes` rather than JSON, shows the rule's regression in red
 * and its improvement in green, opens the structure on demand and offers the filtered CSV.
 * Screenshots: `operator-drift-*.png` in e2e/.stack/screenshots.
 */

// journeys.spec.ts changes PermitRootLogin on the same fleet host and waives that rule there, so this
// journey changes a setting of its own: PermitEmptyPasswords, absent from the file (the default, no).
const RULE = 'plb-ssh-permit-empty-passwords';
const RULE_TITLE = 'SSH refuses accounts with empty passwords';
const UNTOUCHED = '\nKbdInteractiveAuthentication no\n';

test('drift reads as before → after, filtered by what the URL says', async ({ page, stack }) => {
  test.setTimeout(240_000);
  const file = join(fleetRoot(stack.tmpDir, 'edge-mqtt'), 'etc/ssh/sshd_config');
  const original = await readFile(file, 'utf8');
  expect(original).toContain(UNTOUCHED);
  expect(original).not.toMatch(/^\s*PermitEmptyPasswords/im);

  await page.goto('/login');
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drift' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Drift' })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Filter drift' });
  await filters.getByLabel('Host').fill(LIVE_FLEET_HOST);
  await filters.getByLabel('Host').press('Enter');
  await expect(page).toHaveURL(new RegExp(`host=${LIVE_FLEET_HOST}`));
  await filters.getByLabel('Time').selectOption({ label: 'Last hour' });
  await expect(page).toHaveURL(/range=1h/);

  // The host lets empty passwords in, then not again: a regression, then an improvement, both live.
  await writeFile(file, original.replace(UNTOUCHED, `\nPermitEmptyPasswords yes${UNTOUCHED}`));
  const table = page.getByRole('table', { name: 'Drift events, newest first' });
  const regression = table.getByRole('row').filter({ hasText: RULE_TITLE }).filter({ hasText: 'Regression' });
  await expect(regression.first()).toBeVisible({ timeout: 30_000 });
  await expect(regression.first().locator('.badge-bad', { hasText: 'Regression' })).toBeVisible();
  await expect(regression.first()).toContainText(/pass → (changed to)?fail/i);
  // The setting itself, as words: absent from the file → yes, no JSON in the table.
  const fact = table
    .getByRole('row')
    .filter({ hasText: /permitemptypasswords/i })
    .filter({ has: page.locator('.drift-change', { hasText: /^absent → (changed to)?(PermitEmptyPasswords )?yes$/ }) });
  await expect(fact.first()).toBeVisible();
  // No JSON: no braces, quoted keys or leading brackets (an IPv6 listener such as [::]:22 is words, not JSON).
  for (const cell of await table.locator('tbody .drift-change').allTextContents()) expect(cell).not.toMatch(/[{}]|"\w+"\s*:|^\s*\[/);

  await writeFile(file, original);
  const improvement = table.getByRole('row').filter({ hasText: RULE_TITLE }).filter({ hasText: 'Improvement' });
  await expect(improvement.first()).toBeVisible({ timeout: 30_000 });
  await expect(improvement.first().locator('.badge-ok', { hasText: 'Improvement' })).toBeVisible();
  await expect(improvement.first()).toContainText(/fail → (changed to)?pass/i);
  await screenshot(page, stack, 'operator-drift-host');

  // Compliance improvements only, with a search; the URL holds every filter, and a reload keeps them.
  await filters.getByLabel('Kind').selectOption('compliance');
  await filters.getByLabel('Direction').selectOption('improvement');
  await filters.getByLabel('Severity').selectOption('critical');
  await filters.getByLabel('Search').fill('empty');
  await filters.getByLabel('Search').press('Enter');
  for (const p of ['kind=compliance', 'direction=improvement', 'severity=critical', 'q=empty', `host=${LIVE_FLEET_HOST}`, 'range=1h'])
    await expect(page).toHaveURL(new RegExp(p));
  await page.reload();
  await expect(filters.getByLabel('Kind')).toHaveValue('compliance');
  await expect(filters.getByLabel('Direction')).toHaveValue('improvement');
  await expect(filters.getByLabel('Severity')).toHaveValue('critical');
  await expect(filters.getByLabel('Host')).toHaveValue(LIVE_FLEET_HOST);
  await expect(filters.getByLabel('Search')).toHaveValue('empty');
  await expect(filters.getByLabel('Time')).toHaveValue('1h');
  await expect(improvement.first()).toBeVisible();
  for (const kind of await table.locator('tbody tr').allTextContents()) expect(kind).toContain('compliance');

  // The CSV link is the same list, as filtered.
  const csv = new URL((await filters.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!, stack.baseURL);
  expect(csv.pathname).toBe('/api/v1/drift');
  expect(Object.fromEntries(csv.searchParams)).toMatchObject({
    format: 'csv',
    host: LIVE_FLEET_HOST,
    kind: 'compliance',
    direction: 'improvement',
    q: 'empty',
  });
  await screenshot(page, stack, 'operator-drift-filtered');

  // The rule title opens the rule on that host's page.
  await improvement.first().getByRole('link', { name: RULE_TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/[^/?]+\\?rule=${RULE}#rule-${RULE}`));
  await expect(page.getByRole('heading', { level: 1, name: LIVE_FLEET_HOST })).toBeVisible();

  // The fact's structure on demand: back to fact drift, open its details.
  await page.goto(`/drift?host=${LIVE_FLEET_HOST}&kind=fact&range=1h`);
  const details = table.locator('details.drift-structure').first();
  if (await details.count()) {
    await details.locator('summary').click();
    await expect(details.getByText('Before')).toBeVisible();
  }
  await screenshot(page, stack, 'operator-drift-facts');
});
