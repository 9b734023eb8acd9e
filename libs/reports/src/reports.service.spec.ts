import { FileStorage } from '@app/files';
import { CacheAside, OutboxRepository, ROOT_LOGGER } from '@app/platform';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { OrdersExportRepository } from './orders-export.repository';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

describe('ReportsService (repositories substituted)', () => {
  const reports = { insertQueued: jest.fn(), markEventProcessed: jest.fn(), addToDailySales: jest.fn() };
  const outbox = { enqueue: jest.fn() };
  const cache = { invalidateReplicaReadTags: jest.fn() };
  let service: ReportsService;

  beforeAll(async () => {
    service = await serviceUnderTest(ReportsService, [
      { provide: ReportsRepository, useValue: reports },
      { provide: OrdersExportRepository, useValue: {} },
      { provide: FileStorage, useValue: {} },
      { provide: CacheAside, useValue: cache },
      { provide: OutboxRepository, useValue: outbox },
      { provide: ROOT_LOGGER, useValue: {} },
    ]);
  });

  beforeEach(() => jest.resetAllMocks());

  it('queues the report row and announces it with report.requested, in one transaction', async () => {
    reports.insertQueued.mockImplementation((report: { id: string }) =>
      Promise.resolve({ id: report.id, status: 'queued' }),
    );
    const from = new Date('2030-01-01T00:00:00Z');
    const to = new Date('2030-02-01T00:00:00Z');
    const queued = await service.request('u1', 'csv', { from, to });
    expect(reports.insertQueued).toHaveBeenCalledWith({ id: queued.id, requestedBy: 'u1', format: 'csv', from, to });
    expect(outbox.enqueue).toHaveBeenCalledWith(expect.objectContaining({ type: 'report.requested' }), {
      reportId: queued.id,
    });
  });

  it('refuses an empty range before writing anything', async () => {
    const at = new Date('2030-01-01T00:00:00Z');
    await expect(service.request('u1', 'csv', { from: at, to: at })).rejects.toMatchObject({
      code: 'REPORT_INVALID_RANGE',
    });
    expect(reports.insertQueued).not.toHaveBeenCalled();
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });

  it('applies an order event once: units summed, cancellation subtracted, then the sales cache invalidated', async () => {
    reports.markEventProcessed.mockResolvedValue(true);
    const order = {
      createdAt: '2030-01-01T10:00:00.000Z',
      currency: 'EUR',
      totalCents: 900,
      items: [{ quantity: 2 }, { quantity: 1 }],
    };
    await expect(service.applyOrderEvent('e1', 'order.cancelled', order)).resolves.toBe(true);
    expect(reports.markEventProcessed).toHaveBeenCalledWith('e1');
    expect(reports.addToDailySales).toHaveBeenCalledWith(-1, {
      createdAt: order.createdAt,
      currency: 'EUR',
      totalCents: 900,
      units: 3,
    });
    expect(cache.invalidateReplicaReadTags).toHaveBeenCalledWith('reports:sales');
  });

  it('changes nothing for a redelivered event', async () => {
    reports.markEventProcessed.mockResolvedValue(false);
    const order = { createdAt: '2030-01-01T10:00:00.000Z', currency: 'EUR', totalCents: 900, items: [{ quantity: 1 }] };
    await expect(service.applyOrderEvent('e1', 'order.placed', order)).resolves.toBe(false);
    expect(reports.addToDailySales).not.toHaveBeenCalled();
    expect(cache.invalidateReplicaReadTags).not.toHaveBeenCalled();
  });
});
