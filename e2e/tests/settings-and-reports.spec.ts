import { createHash, verify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from '../support/fixtures';
import { SERVER_CLI, runCli } from '../support/processes';
import { ADMIN_EMAIL } from '../support/stack';

/** A fleet host no other journey changes: moving it into a group disturbs nobody. */
const HOST = 'noble-01';
const GROUP = 'e2e-mqtt-broker';

async function shot(page: Page, dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

test.describe.configure({ mode: 'serial' });

test('a group is created with a tailoring the server checks and the MQTT allow-list, and a host is moved into it', async ({
  page,
  stack,
}) => {
  await page.goto('/login');
  await signIn(page);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'New group…' }).click();
  const editor = page.getByRole('form', { name: 'New group' });
  await editor.getByLabel('Group name').fill(GROUP);
  await editor.getByLabel('Profile').selectOption('cis-l1-server');
  await editor.getByRole('button', { name: 'Add a rule' }).click();
  const rule = editor.getByRole('group', { name: 'Tailored rule 1' });
  await rule.getByLabel('Rule id').fill('plb-ssh-max-auth-tries');
  await rule.getByLabel('Rule', { exact: true }).selectOption('on');
  // A parameter the rule does not have: the server refuses it and says which.
  await rule.getByLabel('Parameters').fill('{"max_tris": 6}');
  await editor.getByRole('button', { name: /Add the MQTT broker ports/ }).click();
  await editor.getByRole('button', { name: 'Create group' }).click();
  await expect(editor.getByRole('alert')).toContainText('max_tris');
  await expect(page.getByRole('row', { name: new RegExp(GROUP) })).toHaveCount(0);

  await rule.getByLabel('Parameters').fill('{"max_tries": 6}');
  await editor.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Group ${GROUP} saved` })).toBeVisible();
  const row = page.getByRole('table', { name: 'Groups and their policy' }).getByRole('row', { name: new RegExp(GROUP) });
  await expect(row).toContainText('cis-l1-server');
  await expect(row).toContainText('1883/tcp, 8883/tcp, 8083/tcp, 8084/tcp');

  // Reopened, the editor shows what was stored.
  await page.getByRole('button', { name: `Edit group ${GROUP}` }).click();
  const again = page.getByRole('form', { name: `Edit group ${GROUP}` });
  await expect(again.getByRole('group', { name: 'Tailored rule 1' }).getByLabel('Parameters')).toHaveValue('{"max_tries":6}');
  await expect(again.getByRole('group', { name: 'Allowed port 4' }).getByRole('textbox', { name: 'Port' })).toHaveValue('8084');
  await again.getByRole('button', { name: 'Cancel' }).click();

  // The enrollment form offers the group by name.
  await expect(
    page.getByRole('form', { name: 'Create an enrollment token' }).getByLabel('Group').locator('option', { hasText: GROUP }),
  ).toHaveCount(1);

  await page.goto('/hosts');
  await page.getByRole('link', { name: HOST, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: HOST })).toBeVisible();
  await page.getByRole('button', { name: 'Change group and tags' }).click();
  const membership = page.getByRole('form', { name: `Group and tags of ${HOST}` });
  await membership.getByLabel('Group').selectOption(GROUP);
  await membership.getByLabel('Tags').fill('pci, edge  pci');
  await membership.getByRole('button', { name: 'Save' }).click();
  await expect(membership).toHaveCount(0);
  const header = page.locator('.host-header');
  await expect(header.getByRole('definition').filter({ hasText: GROUP })).toBeVisible();
  await expect(header.getByRole('definition').filter({ hasText: 'edge, pci' })).toBeVisible();
  await shot(page, join(stack.logDir, 'screenshots'), 'host-in-group');
});

test('the hosts list filters by group, tag, score and failing rule, in a URL that can be shared', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  await page.goto('/hosts');
  const table = page.getByRole('table', { name: /^Hosts/ });
  await expect(table.getByRole('link', { name: HOST, exact: true })).toBeVisible();
  const filters = page.getByRole('form', { name: 'Filter hosts' });
  await filters.getByLabel('Group').selectOption(GROUP);
  await expect(page).toHaveURL(new RegExp(`group=${GROUP}`));
  await expect(table.getByRole('row')).toHaveCount(2); // header + the one host
  await expect(table.getByRole('row', { name: new RegExp(HOST) })).toContainText('pci');

  await filters.getByLabel('Tag').fill('no-such-tag');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No hosts match these filters')).toBeVisible();
  await filters.getByLabel('Tag').fill('edge');
  await filters.getByLabel('Minimum score').fill('0');
  await filters.getByLabel('Maximum score').fill('100');
  await filters.getByLabel('Failing rule').fill('plb-ssh-max-auth-tries');
  await filters.getByLabel('Failing rule').press('Enter');
  await expect(page).toHaveURL(/tag=edge/);
  await expect(page).toHaveURL(/failing=plb-ssh-max-auth-tries/);

  // The link alone reproduces the view.
  const url = page.url();
  await page.goto('/');
  await page.goto(url);
  await expect(filters.getByLabel('Group')).toHaveValue(GROUP);
  await expect(filters.getByLabel('Tag')).toHaveValue('edge');
  await expect(filters.getByLabel('Failing rule')).toHaveValue('plb-ssh-max-auth-tries');
  const rows = await table.getByRole('row').count();
  expect(rows).toBeLessThanOrEqual(2);
  await shot(page, join(stack.logDir, 'screenshots'), 'hosts-filtered-by-group');

  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/group=|tag=|failing=/);
});

test('a group report downloads with its signature, which the server key and plumbline verify accept', async ({ page, stack }) => {
  await page.goto('/login');
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Export a compliance report' });
  await form.getByLabel('Format').selectOption('csv');
  await form.getByLabel('Framework view').selectOption('nist');
  await form.getByRole('radio', { name: 'A group' }).check();
  await form.getByRole('button', { name: 'Download signed report' }).click();
  await expect(form.getByRole('alert')).toHaveText('Enter the group to report on.');
  await form.getByLabel('Group', { exact: true }).selectOption(GROUP);
  await expect(page).toHaveURL(new RegExp(`scope=group%3A${GROUP}`));

  const download = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Download signed report' }).click();
  const report = await download;
  expect(report.suggestedFilename()).toMatch(new RegExp(`^plumbline-report-group-${GROUP}-.*\\.csv$`));
  const dir = await mkdtemp(join(tmpdir(), 'plumbline-e2e-report-'));
  const reportPath = join(dir, report.suggestedFilename());
  await report.saveAs(reportPath);
  const bytes = await readFile(reportPath);
  expect(bytes.toString('utf8')).toContain(HOST);

  const panel = page.getByRole('region', { name: /^Downloaded / });
  await expect(panel).toContainText("this server's key");
  const signature = (await panel.locator('pre[aria-label^="Signature"]').innerText()).trim();
  const key = (await (await page.request.get('/api/v1/reports/public-key')).json()) as { publicKey: string };
  // Ed25519 over the SHA-512 of the bytes, as the server signs.
  expect(verify(null, createHash('sha512').update(bytes).digest(), key.publicKey, Buffer.from(signature, 'base64'))).toBe(true);

  const sigDownload = page.waitForEvent('download');
  await panel.getByRole('button', { name: /Save the signature file/ }).click();
  const sig = await sigDownload;
  expect(sig.suggestedFilename()).toBe(`${report.suggestedFilename()}.sig`);
  await sig.saveAs(`${reportPath}.sig`);
  // The command the panel shows pins the server key by its fingerprint, so it works away from the server.
  const { fingerprint } = (await (await page.request.get('/api/v1/reports/public-key')).json()) as { fingerprint: string };
  await expect(panel.locator('pre[aria-label="Verify command"]')).toContainText(`--key-fingerprint ${fingerprint}`);
  const out = await runCli([SERVER_CLI, 'verify', reportPath, '--key-fingerprint', fingerprint], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(out).toContain('signature valid');
  await rm(dir, { recursive: true, force: true });
  await expect(page.getByText(`Signing key fingerprint (SHA-256): ${fingerprint}`)).toBeVisible();
  await shot(page, join(stack.logDir, 'screenshots'), 'report-signed');
  // Settings names the same key, for whoever pins it without downloading a report first.
  await page.goto('/settings');
  await expect(page.getByTestId('signing-key-fingerprint')).toHaveText(fingerprint);

  // Then the host page's shortcut: a signed PDF of that one host.
  await page.goto('/hosts');
  await page.getByRole('link', { name: HOST, exact: true }).click();
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download report' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/^plumbline-report-host-.*\.pdf$/);
});

test('the host leaves the group and drops its tags again', async ({ page }) => {
  // Also puts the host back as it was, for any later journey.
  await page.goto('/login');
  await signIn(page);
  await page.goto('/hosts');
  await page.getByRole('link', { name: HOST, exact: true }).click();
  await page.getByRole('button', { name: 'Change group and tags' }).click();
  const membership = page.getByRole('form', { name: `Group and tags of ${HOST}` });
  await membership.getByLabel('Group').selectOption('');
  await membership.getByLabel('Tags').fill('');
  await membership.getByRole('button', { name: 'Save' }).click();
  await expect(membership).toHaveCount(0);
  const header = page.locator('.host-header');
  await expect(header.getByRole('definition').filter({ hasText: GROUP })).toHaveCount(0);
  await page.goto(`/hosts?group=${GROUP}`);
  await expect(page.getByText('No hosts match these filters')).toBeVisible();
});

test('an enrollment token for a group gives a copyable install command, and tokens and API keys are revoked from their lists', async ({
  page,
  stack,
}) => {
  await page.goto('/login');
  await signIn(page);
  // The group list arrives late, as on a slow link: the form must not offer a field that
  // turns into another under the operator's hand.
  await page.route('**/api/v1/groups', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  await page.goto('/settings');
  page.on('dialog', (dialog) => void dialog.accept());

  const enroll = page.getByRole('form', { name: 'Create an enrollment token' });
  await enroll.getByLabel('Name').fill('e2e-batch');
  await enroll.getByLabel('Group').selectOption(GROUP);
  await enroll.getByRole('button', { name: 'Create token' }).click();
  const command = (await page.locator('pre[aria-label="Install command"]').innerText()).trim();
  const token = (await page.locator('pre[aria-label="Enrollment token"]').innerText()).trim();
  const { fingerprint } = (await (await page.request.get('/api/v1/reports/public-key')).json()) as { fingerprint: string };
  expect(command).toBe(`curl -fsSL ${stack.baseURL}/install.sh | sudo sh -s -- --fingerprint ${fingerprint} --insecure-http`);
  expect(command).not.toContain(token);
  expect((await page.request.get('/install.sh')).headers()['content-type']).toContain('text/x-shellscript');

  const tokens = page.getByRole('table', { name: 'Enrollment tokens, newest first' });
  const row = tokens.getByRole('row', { name: /e2e-batch/ });
  await expect(row).toContainText(GROUP);
  await expect(row).toContainText('active');
  await row.getByRole('button', { name: 'Revoke enrollment token e2e-batch' }).click();
  await expect(row).toContainText('revoked');
  await expect(row.getByRole('button')).toHaveCount(0);

  const keyForm = page.getByRole('form', { name: 'Create an API key' });
  await keyForm.getByLabel('Name').fill('e2e-ci-export');
  await keyForm.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('pre[aria-label="API key"]').innerText()).trim();
  expect((await page.request.get('/api/v1/reports/public-key', { headers: { authorization: `Bearer ${key}` } })).ok()).toBe(true);
  const keyRow = page.getByRole('table', { name: 'API keys, newest first' }).getByRole('row', { name: /e2e-ci-export/ });
  await keyRow.getByRole('button', { name: 'Revoke API key e2e-ci-export' }).click();
  await expect(keyRow).toContainText('revoked');
  // A revoked key is refused from then on.
  const refused = await page.request.get('/api/v1/hosts', { headers: { authorization: `Bearer ${key}`, cookie: '' } });
  expect(refused.status()).toBe(401);
});

test('an admin adds an operator, re-roles and disables them, and cannot demote the only admin', async ({ page }) => {
  // Unique per run, so a retry does not collide with the user the first attempt added.
  const email = `e2e-operator-${Date.now()}@example.com`;
  await page.goto('/login');
  await signIn(page);
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('operator');
  await form.getByLabel('Initial password').fill('correct horse battery');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `User ${email} added.` })).toBeVisible();

  const users = page.getByRole('table', { name: 'Users, by email' });
  const row = users.getByRole('row', { name: new RegExp(email) });
  await expect(row).toContainText('active');
  await expect(row).toContainText('never'); // not signed in yet
  const role = users.getByLabel(`Role for ${email}`);
  await expect(role).toHaveValue('operator');
  await role.selectOption('auditor');
  await expect(role).toBeEnabled();
  await page.reload();
  await expect(role).toHaveValue('auditor');

  page.once('dialog', (d) => void d.accept());
  await users.getByRole('button', { name: `Disable ${email}` }).click();
  await expect(row).toContainText('disabled');
  await expect(users.getByRole('button', { name: `Enable ${email}` })).toBeVisible();

  // The seeded admin is the only admin: the server refuses to demote them and the select keeps "admin".
  const adminRole = users.getByLabel(`Role for ${ADMIN_EMAIL}`);
  await adminRole.selectOption('operator');
  await expect(users.getByRole('row', { name: new RegExp(ADMIN_EMAIL) }).getByRole('alert')).toContainText('last active admin');
  await expect(adminRole).toHaveValue('admin');
});
