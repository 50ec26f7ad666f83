import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoReload, markDocument, screenshot, signIn, test } from '../support/fixtures';
import { fleetRoot, LIVE_FLEET_HOST } from '../support/fleet';
import { createHostRoot, X11_FORWARDING_LINE } from '../support/host-root';
import { AGENT_CLI, startProcess, stopProcessGroup } from '../support/processes';

/**
 * Journeys on the seeded fleet (one real agent per fixture host tree, plus the small e2e
 * hosts): find the worst host and read why it fails, watch a regression arrive live and
 * waive it, enroll a host from Settings. Screenshots: `journey-*.png` in e2e/.stack/screenshots.
 */

const ROOT_LOGIN_RULE = 'plb-ssh-permit-root-login';
const ROOT_LOGIN_TITLE = 'root cannot log in over SSH';

/** "58.0%" -> 58. */
function percent(text: string): number {
  const m = /(\d+(?:\.\d+)?)%/.exec(text);
  if (!m) throw new Error(`no score in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/** The host page's score figures: "Score" (without waivers) and "Score with waivers". */
function hostScores(page: Page): { without: Locator; withWaivers: Locator } {
  const figures = page.getByRole('list', { name: 'Host score' }).getByRole('listitem');
  return {
    without: figures.filter({ hasText: /Score$/ }).locator('.stat-value'),
    withWaivers: figures.filter({ hasText: 'Score with waivers' }).locator('.stat-value'),
  };
}

async function openFleetHost(page: Page, hostname: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hosts' })).toBeVisible();
  await page
    .getByRole('table', { name: /^Hosts/ })
    .getByRole('link', { name: hostname, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: hostname })).toBeVisible();
}

test('find the worst host and read why a rule fails on it', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  // The hosts list is sorted by score, lowest first, by default.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
  const table = page.getByRole('table', { name: /^Hosts, sorted by score ascending/ });
  await expect(table.getByRole('columnheader', { name: 'Score', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  // Every host of the seeded fleet is listed with its score (global setup waited for them).
  for (const name of ['deb12-default', 'deb12-hardened', 'web-01', 'noble-01', 'rocky9.example.internal', LIVE_FLEET_HOST]) {
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(table).toHaveAttribute('aria-busy', 'false');

  // The first row has the lowest score of all the rows shown.
  // textContent, not innerText: the headers are styled upper case.
  const headers = await table.getByRole('columnheader').allTextContents();
  const column = headers.findIndex((h) => h.trim().startsWith('Score'));
  expect(column).toBeGreaterThanOrEqual(0);
  const rows = table.locator('tbody tr');
  const cells = await rows.evaluateAll((trs, i) => trs.map((tr) => tr.children[i]?.textContent ?? ''), column);
  const scores = cells.map(percent);
  expect(scores[0]).toBe(Math.min(...scores));
  const worst = ((await rows.first().getByRole('rowheader').textContent()) ?? '').trim();
  await screenshot(page, stack, 'journey-worst-host-first');

  await rows.first().getByRole('link', { name: worst, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: worst })).toBeVisible();
  await expect(hostScores(page).without).toHaveText(`${scores[0]!.toFixed(1)}%`);

  // Why X11 forwarding fails: what sshd uses, what the rule wants, and the file and line that set it.
  const compliance = page.getByRole('region', { name: 'Compliance', exact: true });
  await expect(compliance.getByRole('button', { name: /^Failing/ })).toHaveAttribute('aria-pressed', 'true');
  const result = compliance.locator('details').filter({ hasText: 'X11 forwarding is disabled' });
  await expect(result.locator('summary')).toContainText('Fail');
  await expect(result.locator('summary')).toContainText(`/etc/ssh/sshd_config:${X11_FORWARDING_LINE}`);
  await result.locator('summary').click();
  const evidence = result
    .getByRole('table', { name: /Evidence/ })
    .getByRole('row')
    .nth(1);
  await expect(evidence.getByRole('cell').nth(0)).toHaveText('yes');
  await expect(evidence.getByRole('cell').nth(1)).toHaveText('X11Forwarding = no');
  await expect(evidence.getByRole('cell').nth(2)).toHaveText(`/etc/ssh/sshd_config:${X11_FORWARDING_LINE}`);
  await expect(result.getByRole('heading', { name: 'Rationale' })).toBeVisible();
  await expect(result.getByText('capture keystrokes and screens')).toBeVisible();
  await expect(result.getByRole('heading', { name: 'Remediation' })).toBeVisible();
  await expect(result.getByLabel('Shell remediation', { exact: true })).toContainText('X11Forwarding no');
  await expect(result.getByLabel('Ansible task', { exact: true })).toContainText('X11Forwarding');
  await screenshot(page, stack, 'journey-why-it-fails');
});

test.describe.serial('a regression on a fleet host', () => {
  let before = 0;
  let after = 0;

  test('arrives live on the host page and the drift feed, and the score drops', async ({ page, context, stack }) => {
    await page.goto('/login');
    await signIn(page);
    const feed = await context.newPage();
    await feed.goto('/drift');
    await expect(feed.getByRole('heading', { level: 1, name: 'Drift' })).toBeVisible();
    await markDocument(feed);

    await openFleetHost(page, LIVE_FLEET_HOST);
    const scores = hostScores(page);
    await expect(scores.without).toHaveText(/%$/);
    before = percent(await scores.without.innerText());
    const ssh = page.getByRole('region', { name: 'SSH server settings' });
    const permitRootLogin = ssh
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'PermitRootLogin', exact: true }) })
      .getByRole('cell')
      .first();
    await expect(permitRootLogin).toHaveText('no');
    await markDocument(page);

    // On the host: line 27 of its sshd_config now lets root in.
    const file = join(fleetRoot(stack.tmpDir, 'edge-mqtt'), 'etc/ssh/sshd_config');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\nPermitRootLogin no\n');
    await writeFile(file, text.replace('\nPermitRootLogin no\n', '\nPermitRootLogin yes\n'));

    await expect(permitRootLogin).toHaveText('yes', { timeout: 30_000 });
    const timeline = page.getByRole('region', { name: 'Drift timeline' });
    const regression = timeline.getByRole('row').filter({ hasText: ROOT_LOGIN_TITLE });
    await expect(regression).toContainText('Regression');
    await expect(scores.without).not.toHaveText(`${before.toFixed(1)}%`);
    after = percent(await scores.without.innerText());
    expect(after).toBeLessThan(before);
    await expectNoReload(page);
    await screenshot(page, stack, 'journey-regression-host');

    const feedRow = feed
      .getByRole('row')
      .filter({ hasText: ROOT_LOGIN_TITLE })
      .filter({ has: feed.getByRole('link', { name: LIVE_FLEET_HOST }) });
    await expect(feedRow).toContainText('Regression');
    await expectNoReload(feed);
    await screenshot(feed, stack, 'journey-regression-feed');
  });

  test('is waived from the host page: the score with waivers recovers, the score without stays', async ({ page, stack }) => {
    await page.goto('/login');
    await signIn(page);
    await openFleetHost(page, LIVE_FLEET_HOST);
    const scores = hostScores(page);
    await expect(scores.without).toHaveText(`${after.toFixed(1)}%`);
    await expect(scores.withWaivers).toHaveText(`${after.toFixed(1)}%`);

    const compliance = page.getByRole('region', { name: 'Compliance', exact: true });
    await compliance.getByLabel('Find a rule').fill(ROOT_LOGIN_RULE);
    const result = compliance.locator('details').filter({ hasText: ROOT_LOGIN_RULE });
    await expect(result.locator('summary')).toContainText('Fail');
    await expect(result.locator('summary')).toContainText('/etc/ssh/sshd_config:27');
    await result.locator('summary').click();
    await markDocument(page);
    await result.getByRole('button', { name: `Waive ${ROOT_LOGIN_TITLE}` }).click();
    const form = result.getByRole('form', { name: `Waive ${ROOT_LOGIN_RULE}` });
    await form.getByLabel('Justification').fill('Break-glass access on the gateway until the console server is racked (OPS-77).');
    await form.getByRole('button', { name: 'Create waiver' }).click();

    await expect(result.locator('summary')).toContainText('Waived');
    // A waived failure counts as a pass with waivers only: that score is back where it was.
    await expect(scores.withWaivers).toHaveText(`${before.toFixed(1)}%`);
    await expect(scores.without).toHaveText(`${after.toFixed(1)}%`);
    await expect(page.getByRole('region', { name: 'Waivers on this host' }).getByRole('link', { name: ROOT_LOGIN_RULE })).toBeVisible();
    await expectNoReload(page);
    await screenshot(page, stack, 'journey-waived-scores');
  });
});

test('create an enrollment token in Settings, copy the install command, and a host enrolls with it', async ({ page, context, stack }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseURL });
  await page.goto('/login');
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  const enroll = page.getByRole('region', { name: 'Enroll hosts' });
  const form = enroll.getByRole('form', { name: 'Create an enrollment token' });
  await form.getByLabel('Name').fill('journey: rack 12');
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(enroll.getByText('Token created.')).toBeVisible();
  const token = ((await enroll.getByLabel('Enrollment token', { exact: true }).textContent()) ?? '').trim();
  expect(token).toMatch(/^\S{20,}$/);

  // What the user pastes on the host is what the page shows: the command with the signing key's
  // fingerprint (never the token, which the installer asks for), and --insecure-http over http.
  await enroll.getByRole('button', { name: 'Copy Install command' }).click();
  await expect(enroll.getByRole('status').filter({ hasText: /^Copied$/ })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  await expect(enroll.getByLabel('Install command', { exact: true })).toHaveText(copied);
  const { fingerprint } = (await (await page.request.get('/api/v1/reports/public-key')).json()) as { fingerprint: string };
  expect(copied).toBe(`curl -fsSL ${stack.baseURL}/install.sh | sudo sh -s -- --fingerprint ${fingerprint} --insecure-http`);
  expect(copied).not.toContain(token);
  await screenshot(page, stack, 'journey-enrollment-token');

  // The copied token enrolls an agent (as the install script would run it), and the host appears live.
  await enroll.getByRole('button', { name: 'Copy Enrollment token' }).click();
  const copiedToken = (await page.evaluate(() => navigator.clipboard.readText())).trim();
  expect(copiedToken).toBe(token);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hosts' })).toBeVisible();
  await markDocument(page);
  const name = 'e2e-enrolled-from-settings';
  const root = join(stack.tmpDir, 'settings-host');
  await createHostRoot(root, name);
  const agent = startProcess(
    [
      AGENT_CLI,
      'run',
      '--server',
      stack.baseURL,
      '--token',
      copiedToken,
      '--root',
      root,
      '--state-dir',
      join(stack.tmpDir, 'settings-state'),
      '--interval',
      '30s',
    ],
    { env: { ...process.env, NO_COLOR: '1' }, logFile: join(stack.logDir, 'agent-settings.log') },
  );
  try {
    await expect(page.getByRole('table', { name: /^Hosts/ }).getByRole('link', { name, exact: true })).toBeVisible({ timeout: 45_000 });
    await expectNoReload(page);
  } finally {
    await stopProcessGroup(agent.pid);
  }
});
