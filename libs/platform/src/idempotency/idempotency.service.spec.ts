import type { ConfigType } from '@nestjs/config';
import type { appConfig } from '../config/app.config';
import type { DomainError } from '../errors/domain-error';
import { statusForErrorKind } from '../http/error-kind-status';
import type { IdempotencyRepository } from './idempotency.repository';
import { hashRequest, IDEMPOTENCY_TTL_MS, IdempotencyService } from './idempotency.service';

const request = { route: 'POST /v1/orders', params: {}, body: { items: [{ productId: 'p1', quantity: 1 }] } };
const completed = (overrides: object = {}) => ({
  requestHash: hashRequest(request),
  state: 'completed',
  responseStatus: 201,
  responseBody: { id: 'o1' },
  ...overrides,
});

describe('IdempotencyService (repository substituted)', () => {
  const repository = { claim: jest.fn(), complete: jest.fn(), release: jest.fn() };
  const service = new IdempotencyService(
    repository as unknown as IdempotencyRepository,
    { idempotencyLeaseMs: 30_000 } as ConfigType<typeof appConfig>,
  );

  beforeEach(() => jest.resetAllMocks());

  it('requires a key only where the route says so', async () => {
    await expect(service.begin('u1', undefined, true, request)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REQUIRED',
    });
    await expect(service.begin('u1', undefined, false, request)).resolves.toBeUndefined();
    expect(repository.claim).not.toHaveBeenCalled();
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['holding a NUL (PostgreSQL text cannot store it)', 'key\u0000tail'],
  ])('refuses a key %s before touching the database', async (_what, key) => {
    await expect(service.begin('u1', key, false, request)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
    expect(repository.claim).not.toHaveBeenCalled();
  });

  it('lets a first request proceed, claiming the key for 24 h under the configured lease', async () => {
    repository.claim.mockResolvedValue({ claimed: true });
    await expect(service.begin('u1', 'k'.repeat(255), true, request)).resolves.toEqual({ kind: 'proceed' });
    expect(repository.claim).toHaveBeenCalledWith(
      'u1',
      'k'.repeat(255),
      hashRequest(request),
      IDEMPOTENCY_TTL_MS,
      30_000,
    );
  });

  it("refuses the key reused with another body as IDEMPOTENCY_KEY_REUSED, whatever the first request's state", async () => {
    const other = { ...request, body: { items: [{ productId: 'p1', quantity: 2 }] } };
    repository.claim.mockResolvedValue({ claimed: false, existing: completed() });
    await expect(service.begin('u1', 'k1', false, other)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    repository.claim.mockResolvedValue({
      claimed: false,
      existing: completed({ state: 'in_progress', responseStatus: null, responseBody: null }),
    });
    await expect(service.begin('u1', 'k1', false, other)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request with the same body still runs', async () => {
    repository.claim.mockResolvedValue({
      claimed: false,
      existing: completed({ state: 'in_progress', responseStatus: null, responseBody: null }),
    });
    const error = (await service.begin('u1', 'k1', false, request).catch((caught: unknown) => caught)) as DomainError;
    expect(error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(statusForErrorKind(error.kind)).toBe(409);
  });

  it('replays a completed request with its stored status and body, the body keys in any order', async () => {
    repository.claim.mockResolvedValue({ claimed: false, existing: completed() });
    const reordered = { body: request.body, params: {}, route: request.route };
    await expect(service.begin('u1', 'k1', false, reordered)).resolves.toEqual({
      kind: 'replay',
      status: 201,
      body: { id: 'o1' },
    });
  });

  it('stores the response on completion and forgets the key on failure, so a retry may use it again', async () => {
    await service.complete('u1', 'k1', 201, { id: 'o1' });
    expect(repository.complete).toHaveBeenCalledWith('u1', 'k1', 201, { id: 'o1' });
    await service.abort('u1', 'k1');
    expect(repository.release).toHaveBeenCalledWith('u1', 'k1');
  });
});
