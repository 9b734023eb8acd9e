import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RunningProcess, startBuiltApp } from '../support/api-process';
import { describeWithChromium, launchChromium } from '../support/chromium';
import { PASSWORD, register, uniqueEmail } from '../support/auth-helpers';
import { httpInjector } from '../support/http-injector';

const OUTPUT = path.resolve(__dirname, '../output/browser');

/** Opens an operation's panel, presses "Try it out" and returns the panel. */
async function tryOut(page: Page, method: string, pathText: string) {
  const block = page
    .locator(`.opblock-${method.toLowerCase()}`)
    .filter({ has: page.locator(`[data-path="${pathText}"]`) })
    .first();
  await block.locator('.opblock-summary').first().click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  return block;
}

/**
 * The Swagger UI at /docs as a person uses it, in Debian's Chromium driven by
 * playwright-core: log in with "Try it out", paste the token into "Authorize", call
 * GET /v1/users/me and see a 200 with the user's email.
 */
describeWithChromium('Swagger UI in a real browser', () => {
  let api: RunningProcess;
  let browser: Browser;

  beforeAll(async () => {
    api = await startBuiltApp('api', {}, '/health/ready');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGKILL');
  });

  it('logs in with Try it out, authorizes with the token, and calls GET /v1/users/me', async () => {
    const email = uniqueEmail('swagger');
    await register(httpInjector(api.port), email);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${api.port}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor();

    const login = await tryOut(page, 'post', '/v1/auth/login');
    await login.locator('textarea.body-param__text').fill(JSON.stringify({ email, password: PASSWORD }));
    await login.getByRole('button', { name: 'Execute' }).click();
    const loginResponse = login.locator('.responses-table.live-responses-table .response');
    await loginResponse.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
    const body = await loginResponse.locator('.response-col_description .microlight').first().innerText();
    const accessToken = (JSON.parse(body) as { accessToken: string }).accessToken;
    expect(accessToken.split('.')).toHaveLength(3);

    await page.locator('.auth-wrapper .authorize').first().click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input[type="text"]').first().fill(accessToken);
    // The dialog's Authorize button is labelled "Apply credentials" for screen readers.
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    const me = await tryOut(page, 'get', '/v1/users/me');
    await me.getByRole('button', { name: 'Execute' }).click();
    const meResponse = me.locator('.responses-table.live-responses-table .response');
    await meResponse.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
    expect(await meResponse.locator('.response-col_description .microlight').first().innerText()).toContain(email);

    await mkdir(OUTPUT, { recursive: true });
    await me.screenshot({ path: path.join(OUTPUT, 'swagger-ui-users-me.png') });
  }, 90_000);
});
