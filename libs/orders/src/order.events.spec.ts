import { OrderCancelled, OrderPlaced } from './order.events';

const order = {
  id: '0192b5a0-0000-7000-8000-000000000001',
  userId: '0192b5a0-0000-7000-8000-000000000002',
  status: 'placed',
  items: [{ productId: '0192b5a0-0000-7000-8000-000000000003', quantity: 2, unitPriceCents: 617 }],
  totalCents: 1234,
  currency: 'EUR',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const line = order.items[0];

describe('order event contracts', () => {
  it('accept the order the API publishes', () => {
    expect(OrderPlaced.schema.safeParse(order).success).toBe(true);
    expect(OrderCancelled.schema.safeParse({ ...order, status: 'cancelled' }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a quantity over 1000', { items: [{ ...line, quantity: 1001 }], totalCents: 1001 * 617 }],
    ['a quantity of 0', { items: [{ ...line, quantity: 0 }], totalCents: 0 }],
    ['a fractional quantity', { items: [{ ...line, quantity: 1.5 }], totalCents: 925.5 }],
    ['no lines', { items: [], totalCents: 0 }],
    ['51 lines', { items: Array.from({ length: 51 }, () => line), totalCents: 51 * 1234 }],
    ['a total that is not the sum of its lines', { totalCents: 1_000_000 }],
    ['a negative total', { items: [{ ...line, unitPriceCents: -617 }], totalCents: -1234 }],
    ['a huge price', { items: [{ ...line, unitPriceCents: 1e20 }], totalCents: 2e20 }],
    ['a lowercase currency', { currency: 'eur' }],
    ['a bad createdAt', { createdAt: 'yesterday' }],
    ['the other status', { status: 'cancelled' }],
    ['a string quantity', { items: [{ ...line, quantity: '2' }] }],
  ])('reject an order.placed with %s', (_name, change) => {
    expect(OrderPlaced.schema.safeParse({ ...order, ...change }).success).toBe(false);
  });

  it.each([null, [], 'order', 42, {}])('reject a payload that is not an order: %p', (payload) => {
    expect(OrderPlaced.schema.safeParse(payload).success).toBe(false);
  });
});
