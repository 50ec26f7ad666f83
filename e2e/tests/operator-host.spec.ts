import { expect, screenshot, signIn, test } from '../support/fixtures';

/**
 * The host page an operator reads: results by severity (critical first) then section, a summary
 * and index that stay in view, and a rule link from elsewhere opening that rule, scrolled to and
 * expanded. Screenshots: `operator-host-*.png`.
 */

const RULE = 'plb-ssh-permit-root-login';
const ORDER = ['critical', 'high', 'medium', 'low'];

test('a rule link opens the rule on the host page; results run by severity; the index stays', async ({ page, stack }) => {
  test.setTimeout(240_000);
  await page.goto('/login');
  await signIn(page);
  await page.goto(`/rules/${RULE}`);
  const failing = page.getByRole('region', { name: 'Hosts failing this rule' });
  const link = failing.getByRole('table').getByRole('rowheader').getByRole('link').first();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`\\?rule=${RULE}#rule-${RULE}$`));
  const row = page.locator(`[id="rule-${RULE}"]`);
  await expect(row.locator('details')).toHaveAttribute('open', '');
  await expect(row).toBeInViewport();
  await expect(row.getByRole('heading', { name: 'Rationale' })).toBeVisible();
  await screenshot(page, stack, 'operator-host-rule-link');

  // By severity, then section: the severity groups never go back up.
  await page.goto(page.url().replace(/\?.*$/, '?status=all'));
  const compliance = page.getByRole('region', { name: 'Compliance', exact: true });
  await expect(compliance.getByRole('button', { name: /^All/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(compliance.locator('li.result').nth(10)).toBeVisible();
  const severities = (await compliance.locator('li.result summary .badge-severity').allTextContents()).map((s) =>
    ORDER.indexOf(s.trim().toLowerCase()),
  );
  expect(severities.length).toBeGreaterThan(10);
  expect(severities).toEqual([...severities].sort((a, b) => a - b));

  // The summary and index stay in view at the bottom of the page, and take you to a section.
  const index = page.getByRole('navigation', { name: 'Host page' });
  await page.keyboard.press('End');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(index).toBeInViewport();
  // Chromium animates the End key's scroll, and a click on a section link while that
  // animation runs jumps to the section only for the animation to carry the page back to
  // the bottom: the click comes once the page has stopped moving, as a reader's would.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const y = window.scrollY;
            setTimeout(() => requestAnimationFrame(() => resolve(window.scrollY === y)), 100);
          }),
      ),
    )
    .toBe(true);
  await index.getByRole('link', { name: 'SSH' }).click();
  await expect(page.getByRole('region', { name: 'SSH server settings' })).toBeInViewport();
  await page.screenshot({ path: `${stack.logDir}/screenshots/operator-host-index.png` });
});
