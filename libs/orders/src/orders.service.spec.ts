import { CatalogError, CatalogErrorCode, ProductsService } from '@app/catalog';
import { InventoryError, InventoryErrorCode, InventoryService } from '@app/inventory';
import { OutboxRepository } from '@app/platform';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

const customer = { id: 'u1', email: 'u@x.y', roles: ['customer'] };
const product = (id: string, overrides: object = {}) => ({
  value: {
    id,
    sku: id,
    name: id,
    description: null,
    priceCents: 500,
    currency: 'EUR',
    active: true,
    createdAt: '',
    updatedAt: '',
    ...overrides,
  },
  hit: true,
});
const order = (overrides: object = {}) => ({
  id: 'o1',
  userId: 'u1',
  status: 'placed',
  items: [],
  totalCents: 0,
  currency: 'EUR',
  createdAt: '',
  ...overrides,
});

describe('OrdersService (repository substituted)', () => {
  const repository = {
    insert: jest.fn(),
    lockVisible: jest.fn(),
    setStatus: jest.fn(),
    findByIdempotencyKey: jest.fn(),
    findVisible: jest.fn(),
    list: jest.fn(),
  };
  const products = { get: jest.fn() };
  const inventory = { reserve: jest.fn(), release: jest.fn(), stockChanged: jest.fn() };
  const outbox = { enqueue: jest.fn() };
  let service: OrdersService;

  beforeAll(async () => {
    service = await serviceUnderTest(OrdersService, [
      { provide: OrdersRepository, useValue: repository },
      { provide: ProductsService, useValue: products },
      { provide: InventoryService, useValue: inventory },
      { provide: OutboxRepository, useValue: outbox },
    ]);
  });

  beforeEach(() => jest.resetAllMocks());

  it('merges duplicate lines, copies prices, totals the order, reserves, announces, then invalidates stock caches', async () => {
    products.get.mockResolvedValue(product('p1'));
    repository.insert.mockResolvedValue(order());
    await service.place(customer, [
      { productId: 'p1', quantity: 2 },
      { productId: 'p1', quantity: 3 },
    ]);
    expect(repository.insert).toHaveBeenCalledWith(
      expect.objectContaining({
        currency: 'EUR',
        totalCents: 2500,
        lines: [{ productId: 'p1', quantity: 5, unitPriceCents: 500 }],
      }),
    );
    expect(inventory.reserve).toHaveBeenCalledWith(expect.any(String), 'u1', [
      { productId: 'p1', quantity: 5, unitPriceCents: 500 },
    ]);
    expect(outbox.enqueue).toHaveBeenCalledWith(expect.objectContaining({ type: 'order.placed' }), order());
    expect(inventory.stockChanged).toHaveBeenCalled();
  });

  it('answers the order placed before with the same idempotency key, reserving nothing again', async () => {
    products.get.mockResolvedValue(product('p1'));
    repository.insert.mockResolvedValue(null);
    repository.findByIdempotencyKey.mockResolvedValue(order({ id: 'earlier' }));
    await expect(service.place(customer, [{ productId: 'p1', quantity: 1 }], 'key-1')).resolves.toMatchObject({
      id: 'earlier',
    });
    expect(repository.findByIdempotencyKey).toHaveBeenCalledWith('u1', 'key-1');
    expect(inventory.reserve).not.toHaveBeenCalled();
    expect(outbox.enqueue).not.toHaveBeenCalled();
    expect(inventory.stockChanged).not.toHaveBeenCalled();
  });

  it('rejects mixed currencies and unknown or inactive products before touching stock', async () => {
    products.get.mockImplementation((id: string) =>
      Promise.resolve(product(id, { currency: id === 'usd' ? 'USD' : 'EUR' })),
    );
    await expect(
      service.place(customer, [
        { productId: 'eur', quantity: 1 },
        { productId: 'usd', quantity: 1 },
      ]),
    ).rejects.toMatchObject({
      code: 'ORDER_CURRENCY_MISMATCH',
    });
    products.get.mockRejectedValue(new CatalogError(CatalogErrorCode.ProductNotFound, 'no'));
    await expect(service.place(customer, [{ productId: 'x', quantity: 1 }])).rejects.toMatchObject({
      code: 'ORDER_PRODUCT_UNAVAILABLE',
    });
    products.get.mockResolvedValue(product('p', { active: false }));
    await expect(service.place(customer, [{ productId: 'p', quantity: 1 }])).rejects.toMatchObject({
      code: 'ORDER_PRODUCT_UNAVAILABLE',
    });
    expect(repository.insert).not.toHaveBeenCalled();
  });

  it('lets a failed reservation through as INVENTORY_INSUFFICIENT, announcing nothing', async () => {
    products.get.mockResolvedValue(product('p1'));
    repository.insert.mockResolvedValue(order());
    inventory.reserve.mockRejectedValue(new InventoryError(InventoryErrorCode.Insufficient, 'no stock'));
    await expect(service.place(customer, [{ productId: 'p1', quantity: 1 }])).rejects.toMatchObject({
      code: 'INVENTORY_INSUFFICIENT',
    });
    expect(outbox.enqueue).not.toHaveBeenCalled();
    expect(inventory.stockChanged).not.toHaveBeenCalled();
  });

  it('scopes reads and cancels to the owner unless the caller is an admin', async () => {
    repository.findVisible.mockResolvedValue(null);
    await expect(service.get(customer, 'o1')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(repository.findVisible).toHaveBeenCalledWith('o1', 'u1');
    repository.findVisible.mockResolvedValue(order());
    await service.get({ ...customer, roles: ['admin'] }, 'o1');
    expect(repository.findVisible).toHaveBeenLastCalledWith('o1', undefined);
    repository.lockVisible.mockResolvedValue(null);
    await expect(service.cancel(customer, 'o1')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(repository.lockVisible).toHaveBeenCalledWith('o1', 'u1');
  });

  it('cancels only a placed order: releases its stock, stores the status and announces it', async () => {
    repository.lockVisible.mockResolvedValue(order({ status: 'cancelled' }));
    await expect(service.cancel(customer, 'o1')).rejects.toMatchObject({ code: 'ORDER_NOT_CANCELLABLE' });
    expect(inventory.release).not.toHaveBeenCalled();
    repository.lockVisible.mockResolvedValue(order());
    await expect(service.cancel(customer, 'o1')).resolves.toMatchObject({ status: 'cancelled' });
    expect(inventory.release).toHaveBeenCalledWith('o1', 'u1');
    expect(repository.setStatus).toHaveBeenCalledWith('o1', 'cancelled');
    expect(outbox.enqueue).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'order.cancelled' }),
      expect.objectContaining({ status: 'cancelled' }),
    );
    expect(inventory.stockChanged).toHaveBeenCalled();
  });
});
