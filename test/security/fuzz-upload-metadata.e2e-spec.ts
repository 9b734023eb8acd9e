import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bearer, register, Session } from '../support/auth-helpers';
import { multipart } from '../support/multipart';
import { createTestApp } from '../support/test-app';

/**
 * The part headers of an upload are input like any other: whatever a client puts in the
 * file part's Content-Type or filename (NULs, control characters, any Unicode), the answer
 * is a 201 or a 4xx problem, never a 5xx, and what is stored can be served back. The
 * framing fuzz once found a NUL in the Content-Type answered with a 500 (PostgreSQL refuses
 * NULs); these generators aim at the two header values directly.
 */
describe('fuzz: upload part headers (e2e)', () => {
  let app: NestFastifyApplication;
  let owner: Session;
  let localDir = '';

  beforeAll(async () => {
    localDir = await mkdtemp(path.join(tmpdir(), 'fuzz-upload-'));
    app = await createTestApp({ FILES_STORAGE: 'local', FILES_LOCAL_DIR: localDir });
    owner = await register(app);
  });

  afterAll(async () => {
    await app.close();
    await rm(localDir, { recursive: true, force: true });
  });

  // Anything but CR and LF, which would end the part's header line (the framing fuzz covers those).
  const headerValue = fc.string({ unit: 'binary', maxLength: 40 }).map((value) => value.replace(/[\r\n]/g, ''));

  it('property: any Content-Type or filename of the file part gets 201 or a 4xx, and a stored file downloads', async () => {
    await fc.assert(
      fc.asyncProperty(headerValue, headerValue, async (contentType, filename) => {
        const body = multipart(filename.replace(/"/g, ''), Buffer.from('bytes'), contentType);
        const answer = await app.inject({
          method: 'POST',
          url: '/v1/files',
          headers: { ...bearer(owner.accessToken), 'content-type': body.contentType },
          payload: body.payload,
        });
        expect(answer.statusCode).toBeLessThan(500);
        if (answer.statusCode !== 201) {
          expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
          return;
        }
        const downloaded = await app.inject({
          method: 'GET',
          url: `/v1/files/${answer.json<{ id: string }>().id}`,
          headers: bearer(owner.accessToken),
        });
        expect(downloaded.statusCode).toBe(200);
        expect(downloaded.body).toBe('bytes');
      }),
      { numRuns: 80 },
    );
  });
});
