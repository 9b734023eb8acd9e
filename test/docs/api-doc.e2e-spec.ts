import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestApp } from '../support/test-app';
import { OpenApiDocument, renderApiMarkdown } from './render-api-markdown';

const PAGE = path.resolve(__dirname, '../../docs/api.md');

/** docs/api.md is the served OpenAPI document, rendered; `npm run docs:api` rewrites it. */
describe('docs/api.md', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('matches the OpenAPI document the API serves (run `npm run docs:api` after changing routes)', async () => {
    const markdown = renderApiMarkdown(
      (await app.inject({ method: 'GET', url: '/docs-json' })).json<OpenApiDocument>(),
    );
    if (process.env.UPDATE_API_DOC === '1') {
      await writeFile(PAGE, markdown);
    }
    expect(await readFile(PAGE, 'utf8')).toBe(markdown);
  });
});
