import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
      storageEnv = { FILES_STORAGE: 's3', S3_BUCKET: 'files-e2e', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' };
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
    expect(file).toMatchObject({ filename: 'big.bin', sizeBytes: content.length, sha256: sha256(content), contentType: 'application/octet-stream' });

    const downloaded = await get(owner, file.id);
    expect(downloaded.statusCode).toBe(200);
    expect(Number(downloaded.headers['content-length'])).toBe(content.length);
    expect(downloaded.headers.etag).toBe(`"${file.sha256}"`);
    expect(sha256(downloaded.rawPayload)).toBe(file.sha256);
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
  });

  it("hides another user's file (404) but shows it to an admin, and lists only one's own", async () => {
    const file = (await upload(owner, 'private.txt', Buffer.from('secret'))).json();
    expect((await get(stranger, file.id)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/v1/files/${file.id}`, headers: bearer(stranger.accessToken) })).statusCode).toBe(404);
    expect((await get(admin, file.id)).statusCode).toBe(200);
    const strangerList = await app.inject({ method: 'GET', url: '/v1/files', headers: bearer(stranger.accessToken) });
    expect(strangerList.json().items).toEqual([]);
    const ownerList = await app.inject({ method: 'GET', url: '/v1/files?limit=100', headers: bearer(owner.accessToken) });
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
    const response = await app.inject({ method: 'POST', url: '/v1/files', headers: bearer(owner.accessToken), payload: { file: 'not multipart' } });
    expect(response.statusCode).toBe(400);
  });

  it('deletes a file (204), after which it is gone', async () => {
    const file = (await upload(owner, 'gone.txt', Buffer.from('bye'))).json();
    expect((await app.inject({ method: 'DELETE', url: `/v1/files/${file.id}`, headers: bearer(owner.accessToken) })).statusCode).toBe(204);
    expect((await get(owner, file.id)).statusCode).toBe(404);
  });
});
