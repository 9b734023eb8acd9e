import { CatalogError, CatalogErrorCode, ProductsService } from '@app/catalog';
import type { InventoryService } from '@app/inventory';
import type { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

const customer = { id: 'u1', email: 'u@x.y', roles: ['customer'] };
const product = (id: string, overrides: object = {}) => ({
  value: { id, sku: id, name: id, description: null, priceCents: 500, currency: 'EUR', active: true, createdAt: '', updatedAt: '', ...overrides },
  hit: true,
});

describe('OrdersService (repository substituted)', () => {
  const repository = { place: jest.fn(), cancel: jest.fn(), findVisible: jest.fn(), list: jest.fn() };
  const products = { get: jest.fn() };
  const inventory = { stockChanged: jest.fn(() => Promise.resolve()) };
  const service = new OrdersService(
    repository as unknown as OrdersRepository,
    products as unknown as ProductsService,
    inventory as unknown as InventoryService,
  );

  beforeEach(() => jest.resetAllMocks());

  it('merges duplicate lines, copies prices and invalidates stock caches after placing', async () => {
    products.get.mockResolvedValue(product('p1'));
    repository.place.mockResolvedValue({ ok: true, order: { id: 'o1' } });
    inventory.stockChanged.mockResolvedValue(undefined);
    await service.place(customer, [
      { productId: 'p1', quantity: 2 },
      { productId: 'p1', quantity: 3 },
    ]);
    expect(repository.place).toHaveBeenCalledWith(
      expect.objectContaining({ currency: 'EUR', lines: [{ productId: 'p1', quantity: 5, unitPriceCents: 500 }] }),
    );
    expect(inventory.stockChanged).toHaveBeenCalled();
  });

  it('rejects mixed currencies and unknown or inactive products before touching stock', async () => {
    products.get.mockImplementation((id: string) => Promise.resolve(product(id, { currency: id === 'usd' ? 'USD' : 'EUR' })));
    await expect(service.place(customer, [{ productId: 'eur', quantity: 1 }, { productId: 'usd', quantity: 1 }])).rejects.toMatchObject({
      code: 'ORDER_CURRENCY_MISMATCH',
    });
    products.get.mockRejectedValue(new CatalogError(CatalogErrorCode.ProductNotFound, 'no'));
    await expect(service.place(customer, [{ productId: 'x', quantity: 1 }])).rejects.toMatchObject({ code: 'ORDER_PRODUCT_UNAVAILABLE' });
    products.get.mockResolvedValue(product('p', { active: false }));
    await expect(service.place(customer, [{ productId: 'p', quantity: 1 }])).rejects.toMatchObject({ code: 'ORDER_PRODUCT_UNAVAILABLE' });
    expect(repository.place).not.toHaveBeenCalled();
  });

  it('maps a failed reservation to INVENTORY_INSUFFICIENT', async () => {
    products.get.mockResolvedValue(product('p1'));
    repository.place.mockResolvedValue({ ok: false, reason: 'insufficient', productId: 'p1' });
    await expect(service.place(customer, [{ productId: 'p1', quantity: 1 }])).rejects.toMatchObject({ code: 'INVENTORY_INSUFFICIENT' });
  });

  it("scopes reads and cancels to the owner unless the caller is an admin", async () => {
    repository.findVisible.mockResolvedValue(null);
    await expect(service.get(customer, 'o1')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    expect(repository.findVisible).toHaveBeenCalledWith('o1', 'u1');
    repository.findVisible.mockResolvedValue({ id: 'o1' });
    await service.get({ ...customer, roles: ['admin'] }, 'o1');
    expect(repository.findVisible).toHaveBeenLastCalledWith('o1', undefined);
    repository.cancel.mockResolvedValue({ ok: false, reason: 'not_cancellable' });
    await expect(service.cancel(customer, 'o1')).rejects.toMatchObject({ code: 'ORDER_NOT_CANCELLABLE' });
  });
});
