import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, readStack, type StackInfo } from './stack';

export const test = base.extend<{ stack: StackInfo }>({
  // eslint-disable-next-line no-empty-pattern
  stack: async ({}, use) => {
    await use(readStack());
  },
  baseURL: async ({ stack }, use) => {
    await use(stack.baseURL);
  },
});

export { expect };

export async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Marks the current document; `expectNoReload` fails if the page was reloaded since. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __plumblineE2E?: boolean }).__plumblineE2E = true;
  });
}

export async function expectNoReload(page: Page): Promise<void> {
  const marked = await page.evaluate(() => (window as unknown as { __plumblineE2E?: boolean }).__plumblineE2E === true);
  expect(marked, 'the page was reloaded, but the update should have arrived live').toBe(true);
}

/** A full-page screenshot for reviewers: e2e/.stack/screenshots/<name>.png. */
export async function screenshot(page: Page, stack: StackInfo, name: string): Promise<void> {
  const dir = join(stack.logDir, 'screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
