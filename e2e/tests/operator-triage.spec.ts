import type { Locator } from '@playwright/test';
import { expect, screenshot, signIn, test } from '../support/fixtures';

/**
 * Triage on the seeded fleet: the overview says what to fix first (worst hosts with failures by
 * severity and their latest drift; rules ranked by severity weight x failing hosts), the score
 * distribution's bars are links to the hosts in their range, and the hosts list leads with the
 * worst host. Screenshots: `operator-triage-*.png` in e2e/.stack/screenshots.
 */

const score = (text: string) => Number(/(\d+(?:\.\d+)?)%/.exec(text)?.[1] ?? NaN);
/** The texts of one column of a table, found by its header. */
async function columnTexts(table: Locator, header: string): Promise<string[]> {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
  const index = headers.findIndex((h) => h.startsWith(header));
  expect(index, `a ${header} column`).toBeGreaterThanOrEqual(0);
  return table.locator('tbody tr').evaluateAll((trs, i) => trs.map((tr) => tr.children[i]?.textContent ?? ''), index);
}

const WEIGHT: Record<string, number> = { critical: 8, high: 4, medium: 2, low: 1 };

test('the overview says what to fix first and its bands open the hosts in range', async ({ page, stack }) => {
  test.setTimeout(240_000);
  await page.goto('/login');
  await signIn(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Fleet overview' })).toBeVisible();

  // Worst hosts: lowest score first, failures split by severity, latest drift.
  const worst = page.getByRole('table', { name: 'Worst hosts, lowest score first' });
  await expect(worst.getByRole('row')).not.toHaveCount(1);
  const scores = (await worst.locator('tbody tr td:nth-of-type(1)').allTextContents()).map(score);
  expect(scores.length).toBeGreaterThanOrEqual(6);
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
  await expect(worst.getByRole('list', { name: 'Failures by severity' }).first()).toContainText(/\d+ (high|medium|low)/);
  await expect(worst.locator('tbody tr').first().locator('td').nth(2)).toHaveText(/in 24 h|no drift yet/);

  // Rules to fix first: ranked by severity weight x failing hosts, with the score each is worth.
  const rules = page.getByRole('table', { name: 'Rules whose fix raises the fleet score most' });
  const rows = rules.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const impacts: number[] = [];
  for (const row of await rows.all()) {
    const severity = (await row.locator('.badge-severity').textContent())!.trim().toLowerCase();
    const hosts = Number((await row.locator('td').nth(1).textContent())!.replace(/\D/g, ''));
    impacts.push(WEIGHT[severity]! * hosts);
    await expect(row.getByText(/^\+\d+\.\d pts$/)).toBeVisible();
  }
  expect(impacts).toEqual([...impacts].sort((a, b) => b - a));

  // The distribution: a legend of what the colours mean, every count readable (none clipped).
  const legend = page.getByRole('list', { name: 'Score bands' });
  for (const band of ['Critical', 'Poor', 'Fair', 'Good']) await expect(legend).toContainText(band);
  const bands = page.getByRole('list', { name: 'Hosts by score' }).getByRole('link');
  await expect(bands).toHaveCount(10);
  const counts = page.getByRole('list', { name: 'Hosts by score' }).locator('.dist-count');
  const chart = await page.getByRole('list', { name: 'Hosts by score' }).boundingBox();
  let tallest = { index: -1, hosts: -1 };
  for (let i = 0; i < 10; i++) {
    const text = (await counts.nth(i).textContent()) ?? '';
    const hosts = text ? Number(text.replace(/\D/g, '')) : 0;
    if (hosts > tallest.hosts) tallest = { index: i, hosts };
    if (hosts > 0) {
      const box = (await counts.nth(i).boundingBox())!;
      expect(box.y, `the count of bar ${i} is inside the chart`).toBeGreaterThanOrEqual(chart!.y);
      expect(box.height).toBeGreaterThan(8);
    }
  }
  expect(tallest.hosts).toBeGreaterThan(0);
  await screenshot(page, stack, 'operator-triage-overview');

  // The tallest band opens the hosts list filtered to its range, worst first, in the URL.
  await bands.nth(tallest.index).click();
  await expect(page).toHaveURL(/\/hosts\?minScore=\d+/);
  const url = new URL(page.url());
  const min = Number(url.searchParams.get('minScore'));
  const max = url.searchParams.get('maxScore') ? Number(url.searchParams.get('maxScore')) : 100;
  const table = page.getByRole('table', { name: /^Hosts, sorted by score ascending/ });
  await expect(table.locator('tbody tr')).toHaveCount(tallest.hosts);
  for (const cell of await columnTexts(table, 'Score')) {
    expect(score(cell)).toBeGreaterThanOrEqual(min);
    expect(score(cell)).toBeLessThanOrEqual(max);
  }
  await expect(table.getByRole('list', { name: 'Failures by severity' }).first()).toBeVisible();
  await screenshot(page, stack, 'operator-triage-band-hosts');

  // The plain hosts list is sorted by score, worst first, without asking.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
  const all = page.getByRole('table', { name: /^Hosts, sorted by score ascending/ });
  await expect(all.getByRole('columnheader', { name: 'Score', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  const listed = (await columnTexts(all, 'Score')).map(score).filter((s) => !Number.isNaN(s));
  expect(listed).toEqual([...listed].sort((a, b) => a - b));
  expect(listed[0]).toBe(scores[0]);
  await screenshot(page, stack, 'operator-triage-hosts-by-score');
});
