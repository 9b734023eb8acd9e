import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { multipart } from '../../support/multipart';
import { startS3Server } from '../../support/s3-server';
import { createTestApp } from '../../support/test-app';

const MAX_BYTES = 60 * 1024 * 1024;

const sha256 = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

describe.each([['local'], ['s3']])('files on %s storage (e2e)', (storage) => {
  let app: NestFastifyApplication;
  let owner: Session;
  let stranger: Session;
  let admin: Session;
  let stop: () => Promise<void>;
  let localDir = '';

  beforeAll(async () => {
    const env = adminEnv();
    let storageEnv: Record<string, string>;
    if (storage === 's3') {
      const s3 = await startS3Server('files-e2e');
      stop = s3.stop;
      storageEnv = {
        FILES_STORAGE: 's3',
        S3_BUCKET: 'files-e2e',
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      };
    } else {
      localDir = await mkdtemp(path.join(tmpdir(), 'files-e2e-'));
      stop = () => rm(localDir, { recursive: true, force: true });
      storageEnv = { FILES_STORAGE: 'local', FILES_LOCAL_DIR: localDir };
    }
    app = await createTestApp({ ...env, ...storageEnv, FILES_MAX_BYTES: String(MAX_BYTES) });
    owner = await register(app);
    stranger = await register(app);
    admin = await login(app, env.ADMIN_EMAIL);
  });

  afterAll(async () => {
    await app.close();
    await stop();
  });

  const upload = (session: Session, filename: string, content: Buffer, contentType?: string) => {
    const body = multipart(filename, content, contentType);
    return app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: { ...bearer(session.accessToken), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const get = (session: Session, id: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/v1/files/${id}`, headers: { ...bearer(session.accessToken), ...headers } });

  it('uploads and downloads a 50 MB file whose SHA-256 matches', async () => {
    const content = randomBytes(50 * 1024 * 1024);
    const created = await upload(owner, 'big.bin', content);
    expect(created.statusCode).toBe(201);
    const file = created.json();
    expect(file).toMatchObject({
      filename: 'big.bin',
      sizeBytes: content.length,
      sha256: sha256(content),
      contentType: 'application/octet-stream',
    });

    const downloaded = await get(owner, file.id);
    expect(downloaded.statusCode).toBe(200);
    expect(Number(downloaded.headers['content-length'])).toBe(content.length);
    expect(downloaded.headers.etag).toBe(`"${file.sha256}"`);
    expect(sha256(downloaded.rawPayload)).toBe(file.sha256);
  });

  it('keeps a declared media type, and stores anything else the part calls its type as application/octet-stream', async () => {
    const declared = await upload(owner, 'page.html', Buffer.from('<p>hi</p>'), 'text/html');
    expect(declared.statusCode).toBe(201);
    expect(declared.json().contentType).toBe('text/html');
    // A NUL (PostgreSQL cannot store it), a control character (no header may carry it), no subtype.
    for (const malformed of ['a\u0000plication/octet-stream', 'text/plain\u0007', 'not a type']) {
      const created = await upload(owner, 'odd.bin', Buffer.from('bytes'), malformed);
      expect(created.statusCode).toBe(201);
      expect(created.json().contentType).toBe('application/octet-stream');
      const downloaded = await get(owner, created.json().id);
      expect({ status: downloaded.statusCode, type: downloaded.headers['content-type'] }).toEqual({
        status: 200,
        type: 'application/octet-stream',
      });
    }
  });

  it('serves exactly the bytes of a range (206), 416 for an unsatisfiable one, 304 on a matching ETag', async () => {
    const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(100), 'utf8');
    const file = (await upload(owner, 'text.txt', content, 'text/plain')).json();

    const range = await get(owner, file.id, { range: 'bytes=10-19', 'accept-encoding': 'gzip' });
    expect(range.statusCode).toBe(206);
    expect(range.headers['content-range']).toBe(`bytes 10-19/${content.length}`);
    expect(range.body).toBe('abcdefghij');

    const suffix = await get(owner, file.id, { range: 'bytes=-5' });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload.equals(content.subarray(content.length - 5))).toBe(true);

    const whole = await get(owner, file.id, { 'accept-encoding': 'gzip' });
    expect(whole.headers['content-encoding']).toBeUndefined();
    expect(Number(whole.headers['content-length'])).toBe(content.length);

    const unsatisfiable = await get(owner, file.id, { range: `bytes=${content.length}-` });
    expect(unsatisfiable.statusCode).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe(`bytes */${content.length}`);

    const notModified = await get(owner, file.id, { 'if-none-match': `"${file.sha256}"` });
    expect(notModified.statusCode).toBe(304);
    // If-None-Match compares weakly (RFC 9110 §13.1.2), like the cached JSON routes.
    for (const ifNoneMatch of [`W/"${file.sha256}"`, `"stale", "${file.sha256}"`, '*']) {
      expect({ ifNoneMatch, status: (await get(owner, file.id, { 'if-none-match': ifNoneMatch })).statusCode }).toEqual(
        { ifNoneMatch, status: 304 },
      );
    }
    expect((await get(owner, file.id, { 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });

  it('ignores an invalid Range (last before first) and serves the whole file (200), but keeps 416 for a range past the end', async () => {
    const content = Buffer.from('0123456789');
    const file = (await upload(owner, 'digits.txt', content, 'text/plain')).json();
    const invalid = await get(owner, file.id, { range: 'bytes=5-3' });
    expect({ status: invalid.statusCode, body: invalid.body, contentRange: invalid.headers['content-range'] }).toEqual({
      status: 200,
      body: '0123456789',
      contentRange: undefined,
    });
    expect((await get(owner, file.id, { range: 'bytes=10-12' })).statusCode).toBe(416);
    expect((await get(owner, file.id, { range: 'bytes=3-100' })).body).toBe('3456789');
  });

  it('honours Range only when If-Range is the current ETag; a stale, weak or date If-Range gets the whole file (200)', async () => {
    const content = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    const file = (await upload(owner, 'letters.txt', content, 'text/plain')).json();
    const current = await get(owner, file.id, { range: 'bytes=0-2', 'if-range': `"${file.sha256}"` });
    expect({ status: current.statusCode, body: current.body }).toEqual({ status: 206, body: 'abc' });
    for (const ifRange of ['"0000stale"', `W/"${file.sha256}"`, 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const stale = await get(owner, file.id, { range: 'bytes=0-2', 'if-range': ifRange });
      expect({ ifRange, status: stale.statusCode, body: stale.body }).toEqual({
        ifRange,
        status: 200,
        body: content.toString(),
      });
    }
  });

  it('property: any Range header gets 200 (the whole file), 206 (exactly the bytes named) or 416, never a 5xx', async () => {
    const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(3));
    const file = (await upload(owner, 'ranges.txt', content, 'text/plain')).json();
    const position = fc.oneof(
      fc.constant(''),
      fc.nat({ max: content.length * 2 }).map(String),
      fc.stringMatching(/^\d{16,20}$/),
    );
    const rangeHeader = fc.oneof(
      fc.tuple(position, position).map(([first, last]) => `bytes=${first}-${last}`),
      fc
        .tuple(
          fc.constantFrom('bytes', 'Bytes', 'items', ''),
          fc.constantFrom('=', ' =', '= '),
          position,
          fc.constantFrom('-', '--', ''),
          position,
          fc.constantFrom('', ',0-1', ', 3-4'),
        )
        .map((parts) => parts.join('')),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(rangeHeader, async (range) => {
        const response = await get(owner, file.id, { range });
        expect([200, 206, 416]).toContain(response.statusCode);
        // RFC 9110 §14.1.1: last-pos below first-pos is invalid, and an invalid Range is ignored.
        const explicit = /^bytes=(\d+)-(\d+)$/.exec(range);
        if (explicit && Number(explicit[2]) < Number(explicit[1])) {
          expect(response.statusCode).toBe(200);
        }
        if (response.statusCode === 200) {
          expect(response.rawPayload.equals(content)).toBe(true);
        } else if (response.statusCode === 206) {
          const [, start, end, size] =
            /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(response.headers['content-range'])) ?? [];
          expect(Number(size)).toBe(content.length);
          expect(response.rawPayload.equals(content.subarray(Number(start), Number(end) + 1))).toBe(true);
        } else {
          expect(response.headers['content-range']).toBe(`bytes */${content.length}`);
        }
      }),
      { numRuns: 150, examples: [['bytes=0-0'], ['bytes=5-3'], [`bytes=${content.length - 1}-`]] },
    );
  });

  it('answers multipart without a boundary, or cut off inside the file part, with a 400 problem and keeps nothing', async () => {
    const before = await app.get(DataSource).query('SELECT count(*)::int AS n FROM files');
    const body = multipart('cut.bin', randomBytes(4096));
    const noBoundary = await app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: { ...bearer(owner.accessToken), 'content-type': 'multipart/form-data' },
      payload: body.payload,
    });
    expect({ status: noBoundary.statusCode, code: noBoundary.json().code }).toEqual({
      status: 400,
      code: 'FILE_UPLOAD_MALFORMED',
    });
    const cut = await app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: { ...bearer(owner.accessToken), 'content-type': body.contentType },
      payload: body.payload.subarray(0, body.payload.length - 100),
    });
    expect({ status: cut.statusCode, type: cut.headers['content-type'], code: cut.json().code }).toEqual({
      status: 400,
      type: expect.stringMatching(/problem\+json/),
      code: 'FILE_UPLOAD_MALFORMED',
    });
    const after = await app.get(DataSource).query('SELECT count(*)::int AS n FROM files');
    expect(after[0].n).toBe(before[0].n);
    if (storage === 'local') {
      const shards = await readdir(localDir);
      const names = (await Promise.all(shards.map((dir) => readdir(path.join(localDir, dir))))).flat();
      expect(names.filter((name) => name.includes('.partial-'))).toEqual([]);
    }
  });

  it("hides another user's file (404) but shows it to an admin, and lists only one's own", async () => {
    const file = (await upload(owner, 'private.txt', Buffer.from('secret'))).json();
    expect((await get(stranger, file.id)).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/files/${file.id}`, headers: bearer(stranger.accessToken) }))
        .statusCode,
    ).toBe(404);
    expect((await get(admin, file.id)).statusCode).toBe(200);
    const strangerList = await app.inject({ method: 'GET', url: '/v1/files', headers: bearer(stranger.accessToken) });
    expect(strangerList.json().items).toEqual([]);
    const ownerList = await app.inject({
      method: 'GET',
      url: '/v1/files?limit=100',
      headers: bearer(owner.accessToken),
    });
    expect(ownerList.json().items.map((f: { id: string }) => f.id)).toContain(file.id);
  });

  it('refuses an upload over the limit with 413 and keeps neither bytes nor row', async () => {
    const before = await app.get(DataSource).query('SELECT count(*)::int AS n FROM files');
    const response = await upload(owner, 'too-big.bin', randomBytes(MAX_BYTES + 1024));
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    const after = await app.get(DataSource).query('SELECT count(*)::int AS n FROM files');
    expect(after[0].n).toBe(before[0].n);
    if (storage === 'local') {
      const shards = await readdir(localDir);
      const names = (await Promise.all(shards.map((dir) => readdir(path.join(localDir, dir))))).flat();
      expect(names.filter((name) => name.includes('.partial-'))).toEqual([]);
    }
  });

  it('rejects a request without a file part', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: bearer(owner.accessToken),
      payload: { file: 'not multipart' },
    });
    expect(response.statusCode).toBe(400);
  });

  it('deletes a file (204), after which it is gone', async () => {
    const file = (await upload(owner, 'gone.txt', Buffer.from('bye'))).json();
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/files/${file.id}`, headers: bearer(owner.accessToken) }))
        .statusCode,
    ).toBe(204);
    expect((await get(owner, file.id)).statusCode).toBe(404);
  });
});
