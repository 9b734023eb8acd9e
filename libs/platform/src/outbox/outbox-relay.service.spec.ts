import { serviceUnderTest } from '../../../../test/support/service-under-test';
import { ROOT_LOGGER } from '../logging/root-logger';
import { BusMessage, MessageBus } from '../messaging/message-bus';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository, PendingMessage } from './outbox.repository';

const pending = (count: number, from = 0, attempts = 0): PendingMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    message: { id: `m${from + i}`, type: 'thing.happened', occurredAt: '2026-12-04T00:00:00.000Z', payload: {} },
    attempts,
    traceparent: null,
  }));

describe('OutboxRelay (repository and bus substituted)', () => {
  const outbox = { lockDue: jest.fn(), markPublished: jest.fn(), markFailed: jest.fn() };
  const bus = { publish: jest.fn(), isConnected: jest.fn() };
  const logger = { warn: jest.fn() };
  let relay: OutboxRelay;

  beforeAll(async () => {
    relay = await serviceUnderTest(OutboxRelay, [
      { provide: OutboxRepository, useValue: outbox },
      { provide: MessageBus, useValue: bus },
      { provide: ROOT_LOGGER, useValue: logger },
    ]);
  });

  beforeEach(() => {
    jest.resetAllMocks();
    bus.isConnected.mockReturnValue(true);
    bus.publish.mockResolvedValue(undefined);
  });

  it('publishes a batch and marks exactly what the broker confirmed', async () => {
    outbox.lockDue.mockResolvedValueOnce(pending(3));
    await expect(relay.publishDue()).resolves.toBe(3);
    expect(bus.publish.mock.calls.map(([message]: [BusMessage]) => message.id)).toEqual(['m0', 'm1', 'm2']);
    expect(outbox.markPublished).toHaveBeenCalledWith(['m0', 'm1', 'm2']);
    expect(outbox.markFailed).not.toHaveBeenCalled();
  });

  it('keeps draining while batches come back full, and stops at a short one', async () => {
    outbox.lockDue.mockResolvedValueOnce(pending(100)).mockResolvedValueOnce(pending(2, 100));
    await expect(relay.publishDue()).resolves.toBe(102);
    expect(outbox.lockDue).toHaveBeenCalledTimes(2);
  });

  it('on an unconfirmed message: marks it failed with exponential backoff, keeps the rest for the next pass', async () => {
    outbox.lockDue.mockResolvedValueOnce(pending(3, 0, 3));
    bus.publish.mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('nack'));
    await expect(relay.publishDue()).resolves.toBe(1);
    expect(outbox.markPublished).toHaveBeenCalledWith(['m0']);
    expect(outbox.markFailed).toHaveBeenCalledWith('m1', 'nack', 500 * 2 ** 3);
    expect(bus.publish).toHaveBeenCalledTimes(2);
  });

  it('caps the backoff at a minute', async () => {
    outbox.lockDue.mockResolvedValueOnce(pending(1, 0, 30));
    bus.publish.mockRejectedValueOnce(new Error('down'));
    await relay.publishDue();
    expect(outbox.markFailed).toHaveBeenCalledWith('m0', 'down', 60_000);
  });

  it('leaves the rows alone while the broker is unreachable', async () => {
    bus.isConnected.mockReturnValue(false);
    await expect(relay.publishDue()).resolves.toBe(0);
    expect(outbox.lockDue).not.toHaveBeenCalled();
  });

  it('shares one pass between concurrent calls in a process', async () => {
    let release!: (rows: PendingMessage[]) => void;
    outbox.lockDue.mockReturnValueOnce(new Promise<PendingMessage[]>((resolve) => (release = resolve)));
    const first = relay.publishDue();
    const second = relay.publishDue();
    release(pending(1));
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    expect(outbox.lockDue).toHaveBeenCalledTimes(1);
  });
});
