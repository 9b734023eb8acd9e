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
}

/**
 * Writes `head` then `body` on a fresh socket (byte-exact: lets a test lie about
 * framing, or withhold part of a body) and resolves with the first response's
 * status, once the server has answered and either closed or sent the whole body.
 * The socket is then closed by the client.
 */
function rawExchange(port: number, head: string, body: Buffer = Buffer.alloc(0), options: { holdBody?: boolean } = {}): Promise<RawAnswer & { sawContinue: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sawContinue = false;
    let settled = false;
    const finish = (answer: RawAnswer) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ ...answer, sawContinue });
      }
    };
    const parsed = (): RawAnswer | undefined => {
      let text = received.toString('latin1');
      while (text.startsWith('HTTP/1.1 100')) {
        sawContinue = true;
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          return undefined;
        }
        text = text.slice(end + 4);
        if (!options.holdBody) {
          continue;
        }
      }
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        return undefined;
      }
      const responseHead = text.slice(0, end);
      const responseBody = text.slice(end + 4);
      const length = /\r\ncontent-length: *(\d+)/i.exec(responseHead);
      if (!length || responseBody.length < Number(length[1])) {
        return undefined;
      }
      return { status: Number(responseHead.slice(9, 12)), head: responseHead, body: responseBody };
    };
    const timer = setTimeout(() => finish({ status: 'timeout', head: '', body: '' }), CLIENT_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parsed();
      if (answer) {
        finish(answer);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(parsed() ?? { status: 'closed', head: received.toString('latin1'), body: '' }));
    socket.write(head);
    if (!options.holdBody) {
      socket.write(body);
    }
  });
}

function uploadHead(token: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: '127.0.0.1', ...bearer(token), ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `POST /v1/files HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

const filePartHead = (boundary: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;

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
      storageEnv = { FILES_STORAGE: 's3', S3_BUCKET: 'upload-framing', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' };
      const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      storedObjects = async () => ((await client.send(new ListObjectsV2Command({ Bucket: 'upload-framing' }))).Contents ?? []).map((object) => object.Key ?? '');
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
    expect({ status: answer.status, head: answer.head }).toEqual({ status, head: expect.stringMatching(/content-type: application\/problem\+json/i) });
  };

  it('answers 50 multipart uploads whose boundary never closes with a 400 each, and leaves no descriptor and no partial file', async () => {
    const pid = api.child.pid!;
    // Warm-up: the same number of requests at once, so pools (database, S3 client)
    // are at their working size before the baseline is counted.
    await Promise.all(Array.from({ length: 50 }, () => httpInjector(api.port).inject({ method: 'GET', url: '/v1/files', headers: bearer(token) })));
    const before = await descriptors(pid, localDir);

    const body = Buffer.from(`${filePartHead('b')}some bytes of a file that never ends`);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        rawExchange(api.port, uploadHead(token, { 'content-type': 'multipart/form-data; boundary=b', 'content-length': body.length, connection: 'close' }), body),
      ),
    );
    for (const answer of answers) {
      expectProblem(answer, 400);
    }

    // Sockets close asynchronously after the answers; wait for the count to settle.
    await waitFor(async () => (await descriptors(pid, localDir)).total <= before.total, 10_000, () => 'descriptors still open');
    expect((await descriptors(pid, localDir)).inDir).toEqual([]);
    expect(await storedObjects()).toEqual([]);
    await stillServes();
  });
});
