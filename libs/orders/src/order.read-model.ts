import type { OrderStatus } from './order.entity';

export interface OrderView {
  id: string;
  userId: string;
  status: OrderStatus;
  items: Array<{ productId: string; quantity: number; unitPriceCents: number }>;
  totalCents: number;
  currency: string;
  createdAt: string;
}

export const ORDER_PLACED = 'order.placed';
export const ORDER_CANCELLED = 'order.cancelled';
