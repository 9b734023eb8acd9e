import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request, RunningProcess, startBuiltApp, waitFor } from '../support/api-process';
import { bearer, register } from '../support/auth-helpers';
import { httpInjector } from '../support/http-injector';
import { startS3Server } from '../support/s3-server';

const MAX_BYTES = 64 * 1024;
/** Longer than any honest answer here takes; a request still unanswered then counts as a hang. */
const CLIENT_TIMEOUT_MS = 10_000;

interface RawAnswer {
  /** The status line's code, or 'closed' (socket closed with no answer), or 'timeout' (a hang). */
  status: number | 'closed' | 'timeout';
  head: string;
  body: string;
  /** A `100 Continue` came before the answer. */
  sawContinue: boolean;
  /** The server ended the connection (only awaited with `untilServerCloses`). */
  serverClosed: boolean;
}

interface ExchangeOptions {
  /** When to send the body: at once (default), only after a `100 Continue`, or never. */
  send?: 'now' | 'after-continue' | 'never';
  /** Resolve only once the server has ended the connection, not at the end of the answer. */
  untilServerCloses?: boolean;
}

/**
 * Writes `head` then `body` on a fresh socket, byte for byte (so a test can lie
 * about framing, or withhold part of a body), and resolves with the server's first
 * final answer. Anything not over within CLIENT_TIMEOUT_MS is a 'timeout'.
 */
function rawExchange(
  port: number,
  head: string,
  body: Buffer = Buffer.alloc(0),
  options: ExchangeOptions = {},
): Promise<RawAnswer> {
  const send = options.send ?? 'now';
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sawContinue = false;
    let serverClosed = false;
    let answer: Omit<RawAnswer, 'sawContinue' | 'serverClosed'> | undefined;
    let settled = false;
    const finish = (result: Omit<RawAnswer, 'sawContinue' | 'serverClosed'>) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ ...result, sawContinue, serverClosed });
      }
    };
    const parse = (): void => {
      let text = received.toString('latin1');
      while (text.startsWith('HTTP/1.1 100')) {
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          return;
        }
        if (!sawContinue) {
          sawContinue = true;
          if (send === 'after-continue') {
            socket.write(body);
          }
        }
        text = text.slice(end + 4);
      }
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, Math.max(end, 0)));
      if (end >= 0 && length && text.length - end - 4 >= Number(length[1])) {
        answer = {
          status: Number(text.slice(9, 12)),
          head: text.slice(0, end),
          body: text.slice(end + 4, end + 4 + Number(length[1])),
        };
      }
    };
    const timer = setTimeout(() => finish(answer ?? { status: 'timeout', head: '', body: '' }), CLIENT_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse();
      if (answer && !options.untilServerCloses) {
        finish(answer);
      }
    });
    socket.on('error', () => undefined);
    const closed = () => {
      serverClosed = true;
      finish(answer ?? { status: 'closed', head: received.toString('latin1'), body: '' });
    };
    socket.on('end', closed);
    socket.on('close', closed);
    socket.write(head);
    if (send === 'now') {
      socket.write(body);
    }
  });
}

function uploadHead(token: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: '127.0.0.1', ...bearer(token), ...headers }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return `POST /v1/files HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

const filePartHead = (boundary: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;

/** `body` as one chunk and the last chunk (a zero-size data chunk would end the body early). */
const chunkedBody = (body: Buffer) =>
  Buffer.concat([
    body.length > 0
      ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')])
      : Buffer.alloc(0),
    Buffer.from('0\r\n\r\n'),
  ]);

/** Descriptors the process holds: all of them, and those on files under `dir`. */
async function descriptors(pid: number, dir: string): Promise<{ total: number; inDir: string[] }> {
  const fds = await readdir(`/proc/${pid}/fd`);
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return { total: fds.length, inDir: targets.filter((target) => target.startsWith(dir)) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

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
