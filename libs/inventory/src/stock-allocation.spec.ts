import { allocate } from './stock-allocation';

describe('allocate (one order line over warehouses)', () => {
  const stock = [
    { warehouseId: 'a', available: 2 },
    { warehouseId: 'b', available: 5 },
  ];

  it('takes the whole line from the first warehouse that holds it', () => {
    expect(allocate(stock, 2)).toEqual([{ warehouseId: 'a', quantity: 2 }]);
  });

  it('splits a line over warehouses in the order given (the lock order)', () => {
    expect(allocate(stock, 6)).toEqual([
      { warehouseId: 'a', quantity: 2 },
      { warehouseId: 'b', quantity: 4 },
    ]);
  });

  it('takes everything there is when the line asks exactly that', () => {
    expect(allocate(stock, 7)).toEqual([
      { warehouseId: 'a', quantity: 2 },
      { warehouseId: 'b', quantity: 5 },
    ]);
  });

  it('answers null, taking nothing, when all warehouses together hold too little', () => {
    expect(allocate(stock, 8)).toBeNull();
    expect(allocate([], 1)).toBeNull();
  });

  it('skips a warehouse with nothing available', () => {
    expect(allocate([{ warehouseId: 'a', available: 0 }, ...stock.slice(1)], 3)).toEqual([
      { warehouseId: 'b', quantity: 3 },
    ]);
  });
});
