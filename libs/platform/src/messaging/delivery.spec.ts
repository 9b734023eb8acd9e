import pino from 'pino';
import { attemptFrom, decideDelivery, DeliveryInput, Settlement } from './delivery';
import { InvalidMessageError } from './event-contract';
import type { MessageHandler } from './message-bus';

const valid = {
  id: '0192b5a0-0000-7000-8000-000000000001',
  type: 'order.placed',
  occurredAt: '2026-01-01T00:00:00.000Z',
  payload: { a: 1 },
};

function decide(body: unknown, overrides: Partial<DeliveryInput> = {}): Promise<Settlement> {
  return decideDelivery({
    queue: 'q',
    options: { queue: 'q', bindings: ['order.*'] },
    maxAttempts: 3,
    retryDelayMs: 10,
    decode: () => body,
    attemptHeader: undefined,
    redelivered: false,
    handler: () => Promise.resolve(),
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
}

describe('attemptFrom', () => {
  it('reads a positive integer, and starts at 1 without a header', () => {
    expect(attemptFrom(undefined, 5)).toBe(1);
    expect(attemptFrom(2, 5)).toBe(2);
  });

  it.each([Number.NaN, 'NaN', '2', 0, -1, 1.5, Infinity, true, {}, Buffer.from('1')])(
    'counts %p as the last attempt',
    (header) => {
      expect(attemptFrom(header, 5)).toBe(5);
    },
  );
});

describe('decideDelivery', () => {
  it('acks a message its handler accepts, passing the attempt', async () => {
    const handler = jest.fn<ReturnType<MessageHandler>, Parameters<MessageHandler>>(() => Promise.resolve());
    await expect(decide(valid, { handler, attemptHeader: 2 })).resolves.toEqual({ action: 'ack' });
    expect(handler).toHaveBeenCalledWith(valid, { attempt: 2, redelivered: true });
  });

  it.each<[string, unknown]>([
    ['JSON null', null],
    ['an array', [valid]],
    ['a string', 'order.placed'],
    ['a number', 42],
    ['no id', { ...valid, id: undefined }],
    ['a numeric id', { ...valid, id: 7 }],
    ['a non-UUID id', { ...valid, id: 'abc' }],
    ['no type', { ...valid, type: undefined }],
    ['a numeric type', { ...valid, type: 1 }],
    ['a bad occurredAt', { ...valid, occurredAt: 'yesterday' }],
    ['a type the bindings do not match', { ...valid, type: 'totally.unknown' }],
  ])('dead-letters %s at once, without calling the handler', async (_name, body) => {
    const handler = jest.fn(() => Promise.resolve());
    await expect(decide(body, { handler })).resolves.toMatchObject({ action: 'dead-letter' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters a body that does not decode', async () => {
    const decode = () => JSON.parse('{not json') as unknown;
    await expect(decide(undefined, { decode })).resolves.toMatchObject({ action: 'dead-letter' });
  });

  it('dead-letters at once what the handler reports as invalid, even on the first attempt', async () => {
    const handler = () => Promise.reject(new InvalidMessageError('bad payload'));
    await expect(decide(valid, { handler })).resolves.toMatchObject({
      action: 'dead-letter',
      reason: expect.stringContaining('bad payload'),
    });
  });

  it('retries a failing handler until the last attempt, then dead-letters', async () => {
    const handler = () => Promise.reject(new Error('transient'));
    await expect(decide(valid, { handler })).resolves.toEqual({ action: 'retry', attempt: 1, delayMs: 10 });
    await expect(decide(valid, { handler, attemptHeader: 2 })).resolves.toEqual({
      action: 'retry',
      attempt: 2,
      delayMs: 20,
    });
    await expect(decide(valid, { handler, attemptHeader: 3 })).resolves.toMatchObject({ action: 'dead-letter' });
    await expect(decide(valid, { handler, attemptHeader: 'NaN' })).resolves.toMatchObject({ action: 'dead-letter' });
  });

  it('settles a handler that throws a non-Error', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const handler = () => Promise.reject(null);
    await expect(decide(valid, { handler, attemptHeader: 3 })).resolves.toMatchObject({ action: 'dead-letter' });
  });
});
