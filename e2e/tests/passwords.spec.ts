import { expect, signIn, test } from '../support/fixtures';

const USER = 'reset-me@example.com';
const CHOSEN = 'a passphrase of my own';

test('an admin resets a password: the user is signed out and must choose a new one before anything else', async ({
  page,
  browser,
  stack,
}) => {
  // Two signed-in browsers and two password changes: more steps than the default 90 s allows on a busy machine.
  test.setTimeout(180_000);
  await page.goto('/login');
  await signIn(page);
  await page.goto('/settings');
  const add = page.getByRole('form', { name: 'Add a user' });
  await add.getByLabel('Email').fill(USER);
  await add.getByLabel('Role').selectOption('operator');
  await add.getByLabel('Initial password').fill('the initial long password');
  await add.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText(`User ${USER} added.`)).toBeVisible();

  // The user is signed in elsewhere when the admin resets the password.
  const elsewhere = await browser.newContext({ baseURL: stack.baseURL });
  const user = await elsewhere.newPage();
  await user.goto('/login');
  await user.getByLabel('Email').fill(USER);
  await user.getByLabel('Password').fill('the initial long password');
  await user.getByRole('button', { name: 'Sign in' }).click();
  await expect(user.getByRole('button', { name: 'Sign out' })).toBeVisible();

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Reset password of ${USER}` }).click();
  const shown = page.getByRole('status').filter({ hasText: `Password of ${USER} reset` });
  await expect(shown).toBeVisible();
  const oneTime = (await shown.locator('pre code').textContent())?.trim() ?? '';
  expect(oneTime.length).toBeGreaterThanOrEqual(20);

  // Their session ended: the next page load asks them to sign in.
  await user.goto('/hosts');
  await expect(user.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await user.getByLabel('Email').fill(USER);
  await user.getByLabel('Password').fill(oneTime);
  await user.getByRole('button', { name: 'Sign in' }).click();
  await expect(user.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(user.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  await user.getByLabel('One-time password').fill(oneTime);
  await user.getByLabel('New password', { exact: true }).fill(CHOSEN);
  await user.getByLabel('Repeat new password').fill(CHOSEN);
  await user.getByRole('button', { name: 'Change password' }).click();
  await expect(user.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await user.goto('/hosts');
  await expect(user.getByRole('heading', { level: 1, name: 'Hosts' })).toBeVisible();
  await elsewhere.close();

  // The admin's own password form is on the same page, for every user.
  await expect(page.getByRole('form', { name: 'Change password' }).getByLabel('Current password')).toBeVisible();
  // The reset is on the audit trail, which has its own page.
  await page.goto('/audit');
  await page.getByRole('search', { name: 'Filter the audit trail' }).getByLabel('Action').selectOption('user.password.reset');
  await expect(page).toHaveURL(/action=user\.password\.reset/);
  const trail = page.getByRole('table', { name: 'Audit trail, newest first' });
  await expect(trail.getByRole('row').filter({ hasText: 'user.password.reset' }).filter({ hasText: USER }).first()).toBeVisible();
});
