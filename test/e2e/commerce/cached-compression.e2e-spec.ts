import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { adminEnv, login } from '../../support/auth-helpers';
import { createProduct } from '../../support/commerce-fixtures';
import { createTestApp } from '../../support/test-app';

/**
 * @CachedResponse routes are out of @fastify/compress: the cache compresses a large body
 * once per value and encoding and answers as the plugin would (threshold, encodings and
 * their negotiation, `x-no-compression`), with `Vary: accept-encoding` whenever the body
 * could be compressed.
 */
describe('compression of cached responses (e2e)', () => {
  let app: NestFastifyApplication;
  let page: string;
  let smallProduct: string;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    const admin = await login(app, env.ADMIN_EMAIL);
    const name = `Compressible ${randomUUID()}`;
    for (let i = 0; i < 12; i++) {
      smallProduct = `/v1/products/${(await createProduct(app, admin.accessToken, { name: `${name} ${i}` })).id}`;
    }
    page = `/v1/products?limit=12&q=${encodeURIComponent(name)}`;
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('sends a large cached page compressed in the encoding the client prefers, the same JSON in each', async () => {
    const plain = await get(page);
    expect(plain.statusCode).toBe(200);
    expect(plain.json<{ items: unknown[] }>().items).toHaveLength(12);
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');

    const decoders = { br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync };
    const cases: Array<[string, keyof typeof decoders]> = [
      ['br', 'br'],
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['*', 'gzip'],
      ['deflate', 'deflate'],
      ['br;q=0.1, gzip;q=0.9', 'gzip'],
    ];
    for (const [acceptEncoding, expected] of cases) {
      for (let round = 0; round < 2; round++) {
        const response = await get(page, { 'accept-encoding': acceptEncoding });
        expect({
          acceptEncoding,
          encoding: response.headers['content-encoding'],
          cache: response.headers['x-cache'],
        }).toEqual({
          acceptEncoding,
          encoding: expected,
          cache: 'HIT',
        });
        expect(response.headers.vary).toBe('accept-encoding');
        expect(response.headers.etag).toBe(plain.headers.etag);
        expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
        expect(response.rawPayload.length).toBeLessThan(plain.rawPayload.length);
        expect(decoders[expected](response.rawPayload).toString('utf8')).toBe(plain.body);
      }
    }
  });

  it('sends it uncompressed for identity, an unknown encoding or x-no-compression, and keeps Vary on a 304', async () => {
    const uncompressed: Array<Record<string, string>> = [
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'zstd' },
      { 'accept-encoding': 'br', 'x-no-compression': '1' },
    ];
    for (const headers of uncompressed) {
      const response = await get(page, headers);
      expect({ headers, encoding: response.headers['content-encoding'] }).toEqual({ headers, encoding: undefined });
      expect(response.rawPayload.length).toBeGreaterThan(1024);
      expect(response.json<{ items: unknown[] }>().items).toHaveLength(12);
    }
    const etag = String((await get(page)).headers.etag);
    const notModified = await get(page, { 'if-none-match': etag, 'accept-encoding': 'br' });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(notModified.headers.vary).toBe('accept-encoding');
  });

  it('sends a small cached body as it is, without Vary', async () => {
    const response = await get(smallProduct, { 'accept-encoding': 'br, gzip' });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.length).toBeLessThan(1024);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toBeUndefined();
  });

  it("adds accept-encoding to a CORS answer's Vary instead of replacing Origin", async () => {
    const env = adminEnv();
    const withCors = await createTestApp({ ...env, CORS_ORIGINS: 'https://shop.example' });
    try {
      const response = await withCors.inject({
        method: 'GET',
        url: page,
        headers: { origin: 'https://shop.example', 'accept-encoding': 'gzip' },
      });
      expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(
        String(response.headers.vary)
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .sort(),
      ).toEqual(['accept-encoding', 'origin']);
    } finally {
      await withCors.close();
    }
  });

  it('property: for any Accept-Encoding the cached page is encoded as the compression plugin encodes /docs-json', async () => {
    const token = fc.oneof(
      fc.constantFrom('br', 'gzip', 'deflate', 'identity', '*', 'x-gzip', 'zstd', 'compress', 'BR', 'Gzip'),
      fc.stringMatching(/^[\w*.-]{0,8}$/u),
    );
    const weighted = fc.tuple(
      token,
      fc.option(fc.constantFrom('0', '0.1', '0.5', '1', '1.0', 'x', ''), { nil: undefined }),
    );
    const acceptEncoding = fc.oneof(
      fc
        .array(weighted, { maxLength: 5 })
        .map((parts) => parts.map(([name, q]) => (q === undefined ? name : `${name};q=${q}`)).join(', ')),
      fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
    );
    const decoders: Record<string, (bytes: Buffer) => Buffer> = {
      br: brotliDecompressSync,
      gzip: gunzipSync,
      deflate: inflateSync,
    };
    const plain = (await get(page)).body;
    await fc.assert(
      fc.asyncProperty(acceptEncoding, async (header) => {
        const [cached, plugin] = await Promise.all([
          get(page, { 'accept-encoding': header }),
          get('/docs-json', { 'accept-encoding': header }),
        ]);
        expect(cached.statusCode).toBe(200);
        expect({ header, encoding: cached.headers['content-encoding'] }).toEqual({
          header,
          encoding: plugin.headers['content-encoding'],
        });
        const encoding = cached.headers['content-encoding'];
        expect(
          (encoding === undefined ? cached.rawPayload : decoders[String(encoding)](cached.rawPayload)).toString('utf8'),
        ).toBe(plain);
      }),
      { numRuns: 150 },
    );
  });
});
