import { LocalLoads } from './local-loads';

/** A load the test finishes when it wants. */
function pending<T>(value: T) {
  let finish!: () => void;
  const work = () => new Promise<T>((resolve) => (finish = () => resolve(value)));
  return { work, finish: () => finish() };
}

describe('LocalLoads', () => {
  it('calls a load fresh when nothing was evicted while it ran', async () => {
    await expect(new LocalLoads().track('a', () => Promise.resolve(1))).resolves.toEqual({ result: 1, fresh: true });
  });

  it('marks stale a load whose key was evicted while it ran, and leaves the other keys fresh', async () => {
    const loads = new LocalLoads();
    const [a, b] = [pending('a'), pending('b')];
    const tracked = [loads.track('a', a.work), loads.track('b', b.work)];
    loads.evict({ keys: ['a'] });
    a.finish();
    b.finish();
    expect(await Promise.all(tracked)).toEqual([
      { result: 'a', fresh: false },
      { result: 'b', fresh: true },
    ]);
  });

  it('marks every load stale on an eviction of all keys, and a later load of the key fresh again', async () => {
    const loads = new LocalLoads();
    const [a, b] = [pending('a'), pending('b')];
    const tracked = [loads.track('a', a.work), loads.track('a', b.work)];
    loads.evict({ all: true });
    a.finish();
    b.finish();
    expect((await Promise.all(tracked)).map((load) => load.fresh)).toEqual([false, false]);
    expect((await loads.track('a', () => Promise.resolve('later'))).fresh).toBe(true);
  });

  it('passes a failed load on', async () => {
    await expect(new LocalLoads().track('a', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
  });
});
