import { defineEvent } from '@app/platform';
import { z } from 'zod';
import { ORDER_CANCELLED, ORDER_PLACED } from './order.read-model';

/** The bounds of POST /v1/orders and of a product's price, so no event can claim more. */
const MAX_LINES = 50;
const MAX_QUANTITY = 1000;
const MAX_UNIT_PRICE_CENTS = 100_000_000;

const orderLine = z.object({
  productId: z.uuid(),
  quantity: z.int().min(1).max(MAX_QUANTITY),
  unitPriceCents: z.int().min(0).max(MAX_UNIT_PRICE_CENTS),
});

/** The order as published: the same shape as the API's order, its total the sum of its lines. */
function orderPayload<const S extends 'placed' | 'cancelled'>(status: S) {
  return z
    .object({
      id: z.uuid(),
      userId: z.uuid(),
      status: z.literal(status),
      items: z.array(orderLine).min(1).max(MAX_LINES),
      totalCents: z.int().min(0),
      currency: z.string().regex(/^[A-Z]{3}$/),
      createdAt: z.iso.datetime(),
    })
    .refine(
      (order) => order.totalCents === order.items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
      {
        message: 'totalCents is not the sum of quantity x unitPriceCents',
        path: ['totalCents'],
      },
    );
}

export const OrderPlaced = defineEvent(ORDER_PLACED, orderPayload('placed'));
export const OrderCancelled = defineEvent(ORDER_CANCELLED, orderPayload('cancelled'));

export type OrderEventPayload = z.infer<ReturnType<typeof orderPayload>>;
