/** A warehouse's stock of one product that an order may take from, in lock order. */
export interface AvailableStock {
  warehouseId: string;
  available: number;
}

export interface Allocation {
  warehouseId: string;
  quantity: number;
}

/**
 * How one order line is split over warehouses: the first warehouses (in the order given,
 * which is the lock order, by warehouse code) are emptied first. `null` when all of them
 * together hold less than the line asks: then nothing is taken anywhere.
 */
export function allocate(stock: readonly AvailableStock[], quantity: number): Allocation[] | null {
  const allocations: Allocation[] = [];
  let remaining = quantity;
  for (const { warehouseId, available } of stock) {
    if (remaining === 0) {
      break;
    }
    const take = Math.min(remaining, available);
    if (take > 0) {
      allocations.push({ warehouseId, quantity: take });
      remaining -= take;
    }
  }
  return remaining === 0 ? allocations : null;
}
