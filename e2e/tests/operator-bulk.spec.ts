import { expect, screenshot, signIn, test } from '../support/fixtures';

/**
 * Bulk work on the seeded fleet: tag checked hosts, then every host matching a filter; waive a
 * rule for all the hosts failing it from the rule's page; waive for a tag from a host page; CSV
 * links on the list views carry the filters. Screenshots: `operator-bulk-*.png`.
 */

const RULE = 'plb-sysctl-ipv4-tcp-syncookies';

test('tag checked hosts and every host matching a filter', async ({ page, stack }) => {
  test.setTimeout(240_000);
  await page.goto('/login');
  await signIn(page);
  await page.goto('/hosts');
  const table = page.getByRole('table', { name: /^Hosts, sorted by/ });
  await table.getByRole('checkbox', { name: 'Select deb12-default' }).check();
  await table.getByRole('checkbox', { name: 'Select web-01' }).check();
  const bar = page.getByRole('region', { name: 'Bulk changes' });
  await expect(bar).toContainText('2 selected');
  await bar.getByLabel('Tag').fill('dmz');
  await screenshot(page, stack, 'operator-bulk-selected');
  await bar.getByRole('button', { name: 'Add tag' }).click();
  await expect(bar.getByRole('status')).toHaveText('Tag dmz added: 2 of 2 hosts updated.');
  for (const name of ['deb12-default', 'web-01'])
    await expect(table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) })).toContainText('dmz');

  // Every host under 60 %, whichever page it is on.
  await page.goto('/hosts?maxScore=60&limit=25');
  const total = Number((await page.locator('.page-count').textContent())!.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(1);
  await table.getByRole('checkbox').nth(1).check();
  await bar.getByRole('button', { name: `Select all ${total} matching` }).click();
  await expect(bar).toContainText(`All ${total} hosts matching the filter`);
  await bar.getByLabel('Tag').fill('triage-week');
  await bar.getByRole('button', { name: 'Add tag' }).click();
  await expect(bar.getByRole('status')).toHaveText(`Tag triage-week added: ${total} of ${total} hosts updated.`);
  await page.goto('/hosts?tag=triage-week');
  await expect(page.locator('.page-count')).toHaveText(String(total));
  await screenshot(page, stack, 'operator-bulk-tagged');

  // The CSV link is the list as filtered.
  const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = new URL(href!, stack.baseURL);
  expect(csv.pathname).toBe('/api/v1/hosts');
  expect(csv.searchParams.get('format')).toBe('csv');
  expect(csv.searchParams.get('tag')).toBe('triage-week');
});

test('waive a rule for the hosts failing it, and for a tag', async ({ page, stack }) => {
  test.setTimeout(240_000);
  await page.goto('/login');
  await signIn(page);
  await page.goto(`/rules/${RULE}`);
  const failing = page.getByRole('region', { name: 'Hosts failing this rule' });
  const button = failing.getByRole('button', { name: /^Waive for the \d+ failing hosts?…$/ });
  await expect(button).toBeVisible();
  const n = Number((await button.textContent())!.replace(/\D/g, ''));
  expect(n).toBeGreaterThan(0);
  await button.click();
  const form = failing.getByRole('form', { name: `Waive ${RULE} for the failing hosts` });
  await form.getByLabel('Justification').fill('SYN flood protection is done by the upstream load balancers (NET-12).');
  await screenshot(page, stack, 'operator-bulk-waive-failing-form');
  await form.getByRole('button', { name: 'Create waivers' }).click();
  await expect(failing.getByRole('status')).toContainText(`${n} waivers created`);
  const csv = new URL((await failing.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!, stack.baseURL);
  expect(csv.pathname).toBe(`/api/v1/rules/${RULE}/hosts`);
  await screenshot(page, stack, 'operator-bulk-waived-failing');

  // A tag scope from a host page: the form offers the host's tags.
  await page.goto('/hosts');
  const table = page.getByRole('table', { name: /^Hosts, sorted by/ });
  await table.getByRole('checkbox', { name: 'Select noble-01' }).check();
  const bar = page.getByRole('region', { name: 'Bulk changes' });
  await bar.getByLabel('Tag').fill('edge-fleet');
  await bar.getByRole('button', { name: 'Add tag' }).click();
  await expect(bar.getByRole('status')).toContainText('1 of 1 host updated');
  await table.getByRole('link', { name: 'noble-01', exact: true }).click();
  const compliance = page.getByRole('region', { name: 'Compliance', exact: true });
  // Found by its rule id: once waived it is no longer a `result-fail` row.
  const ruleId = (await compliance.locator('li.result-fail').first().getAttribute('id'))!;
  const result = compliance.locator(`[id="${ruleId}"]`);
  await result.locator('summary').click();
  await result.getByRole('button', { name: /^Waive / }).click();
  const waive = result.getByRole('form', { name: /^Waive / });
  await waive.getByLabel('Applies to').selectOption({ label: 'Every host tagged edge-fleet' });
  await waive.getByLabel('Justification').fill('Accepted for the edge fleet until the hardened image ships (EDGE-3).');
  await waive.getByRole('button', { name: 'Create waiver' }).click();
  await expect(result.locator('summary')).toContainText('Waived');
  await screenshot(page, stack, 'operator-bulk-waive-tag');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Waivers' }).click();
  await expect(page.getByRole('table', { name: /waivers/ }).first()).toContainText('edge-fleet');
  const waiversCsv = new URL((await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!, stack.baseURL);
  expect(waiversCsv.pathname).toBe('/api/v1/waivers');
});
