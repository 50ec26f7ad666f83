import { createHash, createHmac, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, signIn, test } from '../support/fixtures';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A local receiver standing in for a SIEM, a chat channel or a report archive. */
async function receiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('an admin creates a webhook, copies its secret once, sends a test event and reads the delivery log; a report schedule runs now', async ({
  page,
  stack,
}) => {
  const hook = await receiver();
  const archive = await receiver();
  try {
    await page.goto('/login');
    await signIn(page);
    await page.goto('/settings');

    const form = page.getByRole('form', { name: 'Create a webhook' });
    await form.getByLabel('Name').fill('e2e-chat');
    await form.getByLabel('URL').fill(hook.url);
    await form.getByLabel('Payload').selectOption('slack');
    await form.getByLabel('Minimum severity').selectOption('high');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Webhook e2e-chat created' });
    await expect(created).toBeVisible();
    const secret = (await created.locator('pre[aria-label="Webhook signing secret"]').innerText()).trim();
    expect(secret).toMatch(/^plw_/);

    const row = page.getByRole('table', { name: 'Webhooks' }).getByRole('row', { name: /e2e-chat/ });
    await expect(row).toContainText('Slack');
    await expect(row).toContainText('high/critical');
    await page.getByRole('button', { name: 'Send a test event to e2e-chat' }).click();
    await expect.poll(() => hook.received.length).toBe(1);
    const test = hook.received[0]!;
    const ts = String(test.headers['x-plumbline-timestamp']);
    expect(test.headers['x-plumbline-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(`${ts}.`).update(test.body).digest('hex')}`,
    );
    expect(JSON.parse(test.body.toString())).toMatchObject({ text: expect.stringMatching(/^\(test\) /), blocks: expect.any(Array) });

    await page.getByRole('button', { name: 'Show deliveries of e2e-chat' }).click();
    const log = page.getByRole('table', { name: 'Deliveries of e2e-chat' });
    await expect(log.getByRole('row', { name: /test event/ })).toContainText('delivered');
    await expect(log.getByRole('row', { name: /test event/ })).toContainText('HTTP 204');
    const shots = join(stack.logDir, 'screenshots');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'settings-webhooks.png'), fullPage: true });

    const schedule = page.getByRole('form', { name: 'Create a report schedule' });
    await schedule.getByLabel('Name').fill('e2e nightly csv');
    await schedule.getByLabel('Format').selectOption('csv');
    await schedule.getByLabel('Destination').selectOption('webhook');
    await schedule.getByLabel('URL').fill(archive.url);
    await schedule.getByRole('button', { name: 'Create schedule' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Schedule e2e nightly csv created' })).toBeVisible();
    const scheduleRow = page.getByRole('table', { name: 'Report schedules' }).getByRole('row', { name: /e2e nightly csv/ });
    await expect(scheduleRow).toContainText('daily at 06:00 UTC');
    await page.getByRole('button', { name: 'Run report schedule e2e nightly csv now' }).click();
    await expect(scheduleRow.getByRole('status')).toContainText('Done: HTTP 204');
    expect(archive.received).toHaveLength(1);
    const report = archive.received[0]!;
    const key = await (await page.request.get('/api/v1/reports/public-key')).json();
    const sha512 = createHash('sha512').update(report.body).digest();
    expect(verify(null, sha512, key.publicKey, Buffer.from(String(report.headers['x-plumbline-signature']), 'base64'))).toBe(true);
    expect(report.body.toString()).toContain('noble-01');

    // Shown once: after a reload the secret is nowhere on the page.
    await page.reload();
    await expect(page.getByRole('table', { name: 'Webhooks' })).toBeVisible();
    expect(await page.content()).not.toContain(secret);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete webhook e2e-chat' }).click();
    await expect(page.getByRole('table', { name: 'Webhooks' }).getByRole('row', { name: /e2e-chat/ })).toHaveCount(0);
  } finally {
    await hook.close();
    await archive.close();
  }
});
