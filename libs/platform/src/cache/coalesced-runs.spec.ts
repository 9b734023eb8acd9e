import { CoalescedRuns } from './coalesced-runs';

/** A task whose runs the test finishes one by one. */
function controlledTask() {
  const finishers: Array<(error?: Error) => void> = [];
  const task = jest.fn(
    () => new Promise<void>((resolve, reject) => finishers.push((error) => (error ? reject(error) : resolve()))),
  );
  const finishRun = async (index: number, error?: Error) => {
    await until(() => finishers.length > index);
    finishers[index](error);
  };
  return { task, finishRun };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
}

describe('CoalescedRuns', () => {
  it('runs a lone caller at once and forgets the id afterwards', async () => {
    const runs = new CoalescedRuns();
    const { task, finishRun } = controlledTask();
    const first = runs.run('k', task);
    await finishRun(0);
    await first;
    const second = runs.run('k', task);
    await finishRun(1);
    await second;
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('serves fifty callers arriving during a run with one follow-up run, started after all of them asked', async () => {
    const runs = new CoalescedRuns();
    const { task, finishRun } = controlledTask();
    const settled: number[] = [];
    const first = runs.run('k', task).then(() => settled.push(0));
    await until(() => task.mock.calls.length === 1);
    const burst = Array.from({ length: 50 }, (_, i) => runs.run('k', task).then(() => settled.push(i + 1)));
    expect(task).toHaveBeenCalledTimes(1);

    await finishRun(0);
    await first;
    // The burst is not answered by the run that was already going when it asked.
    expect(settled).toEqual([0]);
    await until(() => task.mock.calls.length === 2);
    await finishRun(1);
    await Promise.all(burst);
    expect(settled).toHaveLength(51);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('keeps ids apart', async () => {
    const runs = new CoalescedRuns();
    const { task, finishRun } = controlledTask();
    const both = [runs.run('a', task), runs.run('b', task)];
    await until(() => task.mock.calls.length === 2);
    await finishRun(0);
    await finishRun(1);
    await Promise.all(both);
  });

  it("gives a failed run's error to its callers, and still starts the queued run", async () => {
    const runs = new CoalescedRuns();
    const { task, finishRun } = controlledTask();
    const failing = runs.run('k', task);
    await until(() => task.mock.calls.length === 1);
    const queued = runs.run('k', task);
    await finishRun(0, new Error('redis down'));
    await expect(failing).rejects.toThrow('redis down');
    await finishRun(1);
    await expect(queued).resolves.toBeUndefined();
    expect(task).toHaveBeenCalledTimes(2);
  });
});
