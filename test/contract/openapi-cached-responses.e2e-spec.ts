import { operationsOf, withServedDocument } from '../support/openapi-document';

type Headers = Record<string, unknown>;

/**
 * What a @CachedResponse route sends beyond its DTO is in the document: the ETag, X-Cache
 * and Cache-Control headers on its 200, a 304 for a current If-None-Match, and that
 * parameter. Checked against the running API: every public, parameterless GET that
 * documents a 304 answers with those headers and does answer 304, and one that does not
 * document it sends no X-Cache.
 */
describe('OpenAPI document: the cached routes state their validators and 304', () => {
  const served = withServedDocument();
  const operations = () => operationsOf(served.document());
  // A file download documents a 304 of its own (its ETag and Range); the cached routes are
  // the ones whose 200 says X-Cache.
  const cached = () =>
    operations().filter(
      ({ operation }) => 'X-Cache' in ((operation.responses['200'] as { headers?: Headers })?.headers ?? {}),
    );

  it('documents the five cached routes, and no marker of the decorator is left', () => {
    expect(
      cached()
        .map(({ key }) => key)
        .sort(),
    ).toEqual([
      'GET /v1/inventory/totals',
      'GET /v1/plans',
      'GET /v1/products',
      'GET /v1/products/{id}',
      'GET /v1/reports/sales',
    ]);
    expect(JSON.stringify(served.document())).not.toContain('x-cached-response');
  });

  it('gives each its If-None-Match parameter, the 304, and the cache headers of its 200', () => {
    for (const { key, operation } of cached()) {
      const headersOf = (status: string) =>
        Object.keys((operation.responses[status] as { headers?: Headers }).headers ?? {});
      expect({
        key,
        parameter: operation.parameters?.some((p) => p.in === 'header' && p.name === 'If-None-Match'),
      }).toEqual({
        key,
        parameter: true,
      });
      expect({ key, ok: headersOf('200') }).toEqual({
        key,
        ok: expect.arrayContaining(['ETag', 'Cache-Control', 'X-Cache', 'Vary', 'Content-Encoding']),
      });
      expect({ key, notModified: headersOf('304') }).toEqual({
        key,
        notModified: expect.arrayContaining(['ETag', 'Cache-Control', 'X-Cache']),
      });
      expect(operation.responses['304'].content).toBeUndefined();
    }
  });

  it('matches what the public routes answer', async () => {
    const app = served.app();
    for (const { key } of cached().filter(({ key, operation }) => !key.includes('{') && !operation.security?.length)) {
      const url = key.split(' ')[1];
      const first = await app.inject({ method: 'GET', url });
      expect({
        key,
        status: first.statusCode,
        etag: typeof first.headers.etag,
        cache: first.headers['x-cache'],
      }).toEqual({
        key,
        status: 200,
        etag: 'string',
        cache: expect.stringMatching(/^(HIT|MISS)$/),
      });
      const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': String(first.headers.etag) } });
      expect({ key, status: again.statusCode }).toEqual({ key, status: 304 });
    }
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.headers['x-cache']).toBeUndefined();
  });
});
