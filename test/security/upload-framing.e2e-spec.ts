import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request, RunningProcess, startBuiltApp, waitFor } from '../support/api-process';
import { bearer, register } from '../support/auth-helpers';
import { httpInjector } from '../support/http-injector';
import { startS3Server } from '../support/s3-server';
import {
  ExchangeOptions,
  MAX_BYTES,
  RawAnswer,
  chunkedBody,
  descriptors,
  filePartHead,
  filesUnder,
  rawExchange,
  uploadHead,
} from '../support/raw-upload';

/**
 * Hostile upload framing against the built API as a real process (real sockets,
 * real descriptors): every such request gets a prompt 4xx problem, and leaves no
 * open descriptor and nothing in storage behind.
 */
describe.each([['local'], ['s3']])('upload framing on %s storage (built API process)', (storage) => {
  let api: RunningProcess;
  let token: string;
  let localDir: string;
  let stopS3: (() => Promise<void>) | undefined;
  let storedObjects: () => Promise<string[]>;

  beforeAll(async () => {
    localDir = await mkdtemp(path.join(tmpdir(), 'upload-framing-'));
    let storageEnv: Record<string, string> = { FILES_STORAGE: 'local', FILES_LOCAL_DIR: localDir };
    storedObjects = () => filesUnder(localDir);
    if (storage === 's3') {
      const s3 = await startS3Server('upload-framing');
      stopS3 = s3.stop;
      storageEnv = {
        FILES_STORAGE: 's3',
        S3_BUCKET: 'upload-framing',
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      };
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      storedObjects = async () =>
        ((await client.send(new ListObjectsV2Command({ Bucket: 'upload-framing' }))).Contents ?? []).map(
          (object) => object.Key ?? '',
        );
    }
    api = await startBuiltApp('api', { ...storageEnv, FILES_MAX_BYTES: String(MAX_BYTES) });
    token = (await register(httpInjector(api.port))).accessToken;
  });

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await stopS3?.();
    await rm(localDir, { recursive: true, force: true });
  });

  const stillServes = async () => expect((await request(api.port, '/health/live')).status).toBe(200);

  const expectProblem = (answer: RawAnswer, status: number) => {
    expect({ status: answer.status, head: answer.head }).toEqual({
      status,
      head: expect.stringMatching(/content-type: application\/problem\+json/i),
    });
  };

  it('answers 50 multipart uploads whose boundary never closes with a 400 each, and leaves no descriptor and no partial file', async () => {
    const pid = api.child.pid!;
    // Warm-up: the same number of requests at once, so pools (database, S3 client)
    // are at their working size before the baseline is counted.
    await Promise.all(
      Array.from({ length: 50 }, () =>
        httpInjector(api.port).inject({ method: 'GET', url: '/v1/files', headers: bearer(token) }),
      ),
    );
    const before = await descriptors(pid, localDir);

    const body = Buffer.from(`${filePartHead('b')}some bytes of a file that never ends`);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        rawExchange(
          api.port,
          uploadHead(token, {
            'content-type': 'multipart/form-data; boundary=b',
            'content-length': body.length,
            connection: 'close',
          }),
          body,
        ),
      ),
    );
    for (const answer of answers) {
      expectProblem(answer, 400);
    }

    // Sockets close asynchronously after the answers; wait for the count to settle.
    await waitFor(
      async () => (await descriptors(pid, localDir)).total <= before.total,
      10_000,
      () => 'descriptors still open',
    );
    expect((await descriptors(pid, localDir)).inDir).toEqual([]);
    expect(await storedObjects()).toEqual([]);
    await stillServes();
  });
  const upload = (headers: Record<string, string | number>, body: Buffer, options?: ExchangeOptions) =>
    rawExchange(api.port, uploadHead(token, headers), body, options);
  const code = (answer: RawAnswer): unknown => (JSON.parse(answer.body) as { code?: unknown }).code;

  it('answers malformed multipart framing with a 400 problem, never a 500', async () => {
    const complete = Buffer.from(`${filePartHead('b')}hello\r\n--b--\r\n`);
    const cases: [string, Buffer][] = [
      ['multipart/form-data', complete],
      ['multipart/form-data; boundary=', complete],
      ['multipart/form-data; boundary=b', Buffer.from('no delimiter anywhere')],
      [
        'multipart/form-data; boundary=b',
        Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n'),
      ],
      ['multipart/form-data; boundary=b', Buffer.from(`--b\r\n${'x'.repeat(100_000)}`)],
    ];
    for (const [contentType, body] of cases) {
      const answer = await upload({ 'content-type': contentType, 'content-length': body.length }, body);
      expectProblem(answer, 400);
      expect([contentType, code(answer)]).toEqual([
        contentType,
        expect.stringMatching(/^FILE_(UPLOAD_MALFORMED|MISSING)$/),
      ]);
    }
    const noBoundary = await upload(
      { 'content-type': 'multipart/form-data', 'content-length': complete.length },
      complete,
    );
    expect(code(noBoundary)).toBe('FILE_UPLOAD_MALFORMED');
    expect(await storedObjects()).toEqual([]);
    await stillServes();
  });

  it('answers a first part that is a plain field with FILE_MISSING, and stores a file part without a filename as "file" (both were 500s, found by the property below)', async () => {
    const before = await storedObjects();
    const field = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nhello\r\n--b--\r\n');
    const fieldAnswer = await upload(
      { 'content-type': 'multipart/form-data; boundary=b', 'content-length': field.length },
      field,
    );
    expectProblem(fieldAnswer, 400);
    expect(code(fieldAnswer)).toBe('FILE_MISSING');
    expect(await storedObjects()).toEqual(before);

    const unnamed = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n--b--\r\n',
    );
    const unnamedAnswer = await upload(
      { 'content-type': 'multipart/form-data; boundary=b', 'content-length': unnamed.length },
      unnamed,
    );
    expect({ status: unnamedAnswer.status, body: JSON.parse(unnamedAnswer.body) as unknown }).toMatchObject({
      status: 201,
      body: { filename: 'file', sizeBytes: 5 },
    });
  });

  it('refuses a declared Content-Length over the limit with a 413 before any of the body is sent, and ends the connection', async () => {
    const answer = await upload(
      { 'content-type': 'multipart/form-data; boundary=b', 'content-length': MAX_BYTES * 16 },
      Buffer.alloc(0),
      { send: 'never', untilServerCloses: true },
    );
    expectProblem(answer, 413);
    expect(code(answer)).toBe('FILE_TOO_LARGE');
    expect(answer.serverClosed).toBe(true);
    await stillServes();
  });

  it('answers Expect: 100-continue over the limit with a 413 and no 100 Continue, within the limit with 100 Continue and a stored file', async () => {
    const refused = await upload(
      { 'content-type': 'multipart/form-data; boundary=b', 'content-length': MAX_BYTES * 16, expect: '100-continue' },
      Buffer.alloc(MAX_BYTES * 16),
      { send: 'after-continue', untilServerCloses: true },
    );
    expectProblem(refused, 413);
    expect({ sawContinue: refused.sawContinue, serverClosed: refused.serverClosed }).toEqual({
      sawContinue: false,
      serverClosed: true,
    });

    const body = Buffer.from(`${filePartHead('b')}${'z'.repeat(1000)}\r\n--b--\r\n`);
    const accepted = await upload(
      { 'content-type': 'multipart/form-data; boundary=b', 'content-length': body.length, expect: '100-continue' },
      body,
      { send: 'after-continue' },
    );
    expect({ status: accepted.status, sawContinue: accepted.sawContinue }).toEqual({ status: 201, sawContinue: true });
    expect(JSON.parse(accepted.body)).toMatchObject({ sizeBytes: 1000 });
  });

  it('stops reading a chunked upload at the limit: 413, the connection ended, nothing stored', async () => {
    const stored = await storedObjects();
    const data = Buffer.concat([Buffer.from(filePartHead('b')), Buffer.alloc(MAX_BYTES * 4, 7)]);
    // One chunk bigger than the limit, and no last chunk: the server must not wait for the end.
    const chunked = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    const answer = await upload(
      { 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' },
      chunked,
      { untilServerCloses: true },
    );
    expectProblem(answer, 413);
    expect(answer.serverClosed).toBe(true);
    await waitFor(
      async () => (await descriptors(api.child.pid!, localDir)).inDir.length === 0,
      10_000,
      () => 'a stored file is still open',
    );
    expect(await storedObjects()).toEqual(stored);
    await stillServes();
  });

  it('property: random multipart framings and truncations never get a 5xx or hang, and a 4xx leaves storage as it was', async () => {
    const framing = fc.record({
      size: fc.nat({ max: MAX_BYTES + 2048 }),
      boundary: fc.stringMatching(/^[\w'()+,./:=?-]{1,70}$/),
      declareBoundary: fc.boolean(),
      closeBoundary: fc.boolean(),
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      corruption: fc.option(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }), {
        nil: undefined,
      }),
      chunked: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(framing, async (f) => {
        const closing = f.closeBoundary ? `\r\n--${f.boundary}--\r\n` : '';
        let body = Buffer.concat([
          Buffer.from(filePartHead(f.boundary)),
          Buffer.alloc(f.size, 97),
          Buffer.from(closing),
        ]);
        if (f.corruption) {
          body.set(
            f.corruption.bytes.subarray(0, Math.max(0, body.length - (f.corruption.at % body.length))),
            f.corruption.at % body.length,
          );
        }
        if (f.cut !== undefined) {
          body = body.subarray(0, Math.floor(body.length * f.cut));
        }
        const contentType = f.declareBoundary ? `multipart/form-data; boundary=${f.boundary}` : 'multipart/form-data';
        const before = await storedObjects();
        const answer = f.chunked
          ? await upload({ 'content-type': contentType, 'transfer-encoding': 'chunked' }, chunkedBody(body))
          : await upload({ 'content-type': contentType, 'content-length': body.length }, body);
        expect(typeof answer.status).toBe('number');
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 201) {
          expect(answer.head).toMatch(/content-type: application\/problem\+json/i);
          expect(await storedObjects()).toEqual(before);
        }
      }),
      { numRuns: 60 },
    );
    await waitFor(
      async () => (await descriptors(api.child.pid!, localDir)).inDir.length === 0,
      10_000,
      () => 'a stored file is still open',
    );
    expect((await storedObjects()).filter((name) => name.includes('.partial-'))).toEqual([]);
    await stillServes();
  });
});
