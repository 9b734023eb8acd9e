import { DEMO_ACCOUNTS } from '@app/auth';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { RunningProcess, startBuiltApp } from '../support/api-process';
import { describeWithChromium, launchChromium } from '../support/chromium';
import { createIsolatedDatabase } from '../support/test-database';

const OUTPUT = path.resolve(__dirname, '../output/browser');
const CUSTOMER = DEMO_ACCOUNTS.find((account) => account.roles[0] === 'customer')!;

/** An operation's panel, opened. */
async function openOperation(page: Page, method: string, pathText: string): Promise<Locator> {
  const block = page
    .locator(`.opblock-${method}`)
    .filter({ has: page.locator(`[data-path="${pathText}"]`) })
    .first();
  await block.locator('.opblock-summary').first().click();
  return block;
}

/**
 * The first hour in the Swagger UI, as the document's intro tells it: with the demo data
 * of `npm start`, log in with the login operation's example as it stands (the demo
 * customer), authorize with the token, and read what an admin-only operation answers a
 * customer: its documented 403 with the AUTH_FORBIDDEN example, and the same 403 live.
 * Screenshots of the login, the Authorize dialog and the 403 panel go to test/output/browser/.
 */
describeWithChromium('Swagger UI: the first hour with the demo customer', () => {
  let api: RunningProcess;
  let browser: Browser;
  let page: Page;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    // The demo data of `npm start`, on a database and Redis key prefix of its own.
    database = await createIsolatedDatabase('swagger_first_hour');
    api = await startBuiltApp(
      'api',
      {
        SEED_DEMO_DATA: 'true',
        DATABASE_URL: database.url,
        REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-swagger-first-hour`,
        PORT: '4151',
      },
      '/health/ready',
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await mkdir(OUTPUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGKILL');
    await api?.exited;
    await database?.drop();
  });

  it('shows the intro, logs in with the example body unchanged, and authorizes with the token', async () => {
    await page.goto(`http://127.0.0.1:${api.port}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
    const intro = await page.locator('.swagger-ui .info .description').innerText();
    expect(intro).toContain(CUSTOMER.email);
    expect(intro).toContain('Authorize');

    const login = await openOperation(page, 'post', '/v1/auth/login');
    await login.getByRole('button', { name: 'Try it out' }).click();
    const body = await login.locator('textarea.body-param__text').inputValue();
    expect(JSON.parse(body)).toEqual({ email: CUSTOMER.email, password: CUSTOMER.password });
    await login.getByRole('button', { name: 'Execute' }).click();
    const response = login.locator('.responses-table.live-responses-table .response');
    await response.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
    const session = await response.locator('.response-col_description .microlight').first().innerText();
    const { accessToken, user } = JSON.parse(session) as { accessToken: string; user: { email: string } };
    expect(user.email).toBe(CUSTOMER.email);
    // From the intro down to the live 200 answer; the documented responses below are left out.
    // The box is relative to the viewport, the full-page clip to the document.
    const answer = (await response.boundingBox())!;
    const scrolled = await page.evaluate<number>('window.scrollY');
    await page.screenshot({
      path: path.join(OUTPUT, 'swagger-ui-login.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: scrolled + answer.y + answer.height },
    });

    await page.locator('.auth-wrapper .authorize').first().click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    expect(await dialog.innerText()).toContain('Access token from /v1/auth/login');
    await dialog.locator('input[type="text"]').first().fill(accessToken);
    await dialog.screenshot({ path: path.join(OUTPUT, 'swagger-ui-authorize.png') });
    // The dialog's Authorize button is labelled "Apply credentials" for screen readers.
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  }, 60_000);

  it("documents an admin-only operation's 403 with the AUTH_FORBIDDEN example, and answers the customer so", async () => {
    const users = await openOperation(page, 'get', '/v1/users');
    const documented = users.locator('.responses-table:not(.live-responses-table) tr.response[data-code="403"]');
    await documented.waitFor();
    const panel = await documented.innerText();
    expect(panel).toContain('AUTH_FORBIDDEN: the admin role is required');
    expect(panel).toContain('"code": "AUTH_FORBIDDEN"');
    expect(panel).toContain('"status": 403');
    await documented.screenshot({ path: path.join(OUTPUT, 'swagger-ui-403.png') });

    await users.getByRole('button', { name: 'Try it out' }).click();
    await users.getByRole('button', { name: 'Execute' }).click();
    const live = users.locator('.responses-table.live-responses-table .response');
    await live.locator('.response-col_status').filter({ hasText: '403' }).waitFor();
    expect(await live.locator('.response-col_description .microlight').first().innerText()).toContain(
      '"code": "AUTH_FORBIDDEN"',
    );
  }, 60_000);
});
