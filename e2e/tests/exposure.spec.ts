import { expect, screenshot, signIn, test } from '../support/fixtures';

/**
 * Known vulnerabilities of the seeded fleet (advisory data imported before the server started,
 * see support/advisories.ts): the fleet view ranks what listens on the network and is known to
 * be exploited first, filters live in the URL, a host's tab lists its own findings with the
 * listener, and a CVE is waived from that tab through the waiver form.
 * Screenshots: `exposure-fleet.png`, `exposure-by-package.png`, `exposure-host-tab.png`.
 */

test('the fleet view ranks by exposure; a host tab lists its findings and waives one', async ({ page, stack }) => {
  test.setTimeout(240_000);
  await page.goto('/login');
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Vulnerabilities' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vulnerabilities' })).toBeVisible();
  await expect(page.getByText(/Data: .*debian-tracker.*kev/)).toBeVisible();

  // Most urgent first: mosquitto's CVE, listening on the network on the edge gateway and in KEV.
  const fleet = page.getByRole('table', { name: 'Known vulnerabilities in the fleet, most urgent first' });
  const rows = fleet.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const first = rows.first();
  await expect(first.getByRole('rowheader')).toContainText('CVE-2099-2004');
  await expect(first).toContainText(/network/i);
  await expect(first).toContainText('known exploited');
  await expect(first).toContainText('mosquitto');
  const order = await rows.getByRole('rowheader').allTextContents();
  expect(order.map((t) => /CVE-\d+-\d+/.exec(t)?.[0])).toEqual(['CVE-2099-2004', 'CVE-2099-2001', 'CVE-2099-2002', 'CVE-2099-2003']);
  await screenshot(page, stack, 'exposure-fleet');

  // A filter is in the URL and survives a reload.
  await page.getByRole('search', { name: 'Filter vulnerabilities' }).getByLabel('Fix').selectOption('no_fix');
  await expect(page).toHaveURL(/state=no_fix/);
  await page.reload();
  await expect(rows.getByRole('rowheader')).toHaveText([/CVE-2099-2002/]);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await page.getByRole('link', { name: 'By package' }).click();
  const packages = page.getByRole('table', { name: 'Vulnerable packages in the fleet, most urgent first' });
  await expect(packages.locator('tbody tr').first().getByRole('rowheader')).toContainText('mosquitto');
  await screenshot(page, stack, 'exposure-by-package');

  // One host's tab: its findings, the listener of the exposed one, and a waiver for the low one.
  await page.goto('/hosts');
  await page
    .getByRole('table', { name: /^Hosts, sorted by/ })
    .getByRole('link', { name: 'edge-gw-17', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'edge-gw-17' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Host page' }).getByRole('link', { name: 'Vulnerabilities' }).click();
  const mine = page.getByRole('table', { name: 'Known vulnerabilities on this host, most urgent first' });
  await expect(mine.locator('tbody tr').first().getByRole('rowheader')).toContainText('CVE-2099-2004');
  await expect(mine.locator('tbody tr').first()).toContainText(/1883/);
  await mine.getByRole('button', { name: 'Waive CVE-2099-2003' }).click();
  const form = page.getByRole('form', { name: 'Waive CVE-2099-2003' });
  await form.getByLabel('Justification').fill('libc6 fix ships with the next image rebuild; the gateway runs no untrusted code');
  await form.getByRole('button', { name: 'Create waiver' }).click();
  // An admin's waiver applies at once (two-person approval is off on this server): the finding stays, marked.
  await expect(page.getByRole('status').filter({ hasText: 'CVE-2099-2003' })).toHaveText('Waiver for CVE-2099-2003 created.');
  await expect(mine.locator('tbody tr').filter({ hasText: 'CVE-2099-2003' })).toContainText(/Waived\s*until/);
  await expect(page.locator('#vulnerabilities')).toContainText('3 (1 waived)');
  await page.locator('#vulnerabilities').screenshot({ path: `${stack.logDir}/screenshots/exposure-host-tab.png` });
});
