import Fastify, { FastifyInstance } from 'fastify';
import { streamingMultipart } from './streaming-multipart';

const BOUNDARY = 'spec-boundary';
const upload = (content: string) =>
  [
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="file"; filename="a.txt"',
    'Content-Type: text/plain',
    '',
    content,
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n');

describe('streamingMultipart', () => {
  let app: FastifyInstance;

  beforeEach(async () => {
    app = Fastify();
    await app.register(streamingMultipart, { limits: { files: 1 } });
    app.post('/stream', async (request) => {
      const part = await request.file();
      return { name: part?.filename, text: (await part!.toBuffer()).toString('utf8') };
    });
    app.post('/disk', async (request) => request.saveRequestFiles());
    app.get('/plain', () => ({ ok: true }));
    await app.ready();
  });

  afterEach(() => app.close());

  const post = (url: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: upload('hello, file'),
    });

  it('streams the uploaded part to the route', async () => {
    const response = await post('/stream');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'a.txt', text: 'hello, file' });
  });

  it('adds no hook to the routes (the disk-mode onRequest and onResponse hooks are left out)', () => {
    const routes = app.printRoutes({ includeHooks: true, commonPrefix: false });
    expect(routes).toContain('/plain');
    expect(routes).not.toMatch(/onRequest|onResponse|preValidation/);
  });

  it('refuses the disk mode at once rather than writing files nothing cleans', async () => {
    const response = await post('/disk');
    expect(response.statusCode).toBe(500);
    expect(response.json().message).toMatch(/saveRequestFiles\(\) is not available: multipart uploads are streamed/);
  });
});
