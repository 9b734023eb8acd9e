import { JobsModule } from '@app/jobs';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { waitFor } from '../support/api-process';
import { createIsolatedDatabase } from '../support/test-database';
import { BrokerWorker, orderEvent, WORKER_QUEUES, WorkerQueue } from '../support/broker-worker';
import { envelope, fuzzCases, json, YEAR } from './broker-fuzz-cases';
import { describeWithRabbit } from '../support/requires';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CASES = 240;

/**
 * Fuzzing the worker's consumers through the real broker: random and hostile bodies,
 * types and headers published to the exchange and straight onto each queue. Every
 * delivery must be settled (nothing left ready or unacknowledged), every one of these
 * invalid messages must be in the dead-letter queue, nothing in the database may
 * change, and a valid message behind them must still be processed. The worker is
 * the real worker composition on a database, exchange and queues of its own.
 * FUZZ_SEED replays a run (the seed is in the test's name).
 */
describeWithRabbit('fuzzing the broker messages of the worker', () => {
  let worker: BrokerWorker;
  let dataSource: DataSource;
  let database: { url: string; drop(): Promise<void> };
  const reportId = randomUUID();

  beforeAll(async () => {
    database = await createIsolatedDatabase('broker_fuzz');
    worker = await BrokerWorker.start({
      env: { DATABASE_URL: database.url, BILLING_RENEWALS_ENABLED: 'false' },
      imports: [JobsModule],
    });
    dataSource = worker.context.get(DataSource);
    // A queued report, written without its outbox message: only a valid report.requested may start it.
    await dataSource.query(
      `INSERT INTO reports (id, requested_by, type, format, range_from, range_to, status) VALUES ($1, $2, 'orders', 'csv', $3, $4, 'queued')`,
      [reportId, randomUUID(), `${YEAR}-01-01T00:00:00Z`, `${YEAR}-02-01T00:00:00Z`],
    );
  });

  afterAll(async () => {
    await worker?.close();
    await database?.drop();
  });

  /** Everything a consumer could change. */
  const fingerprint = async (): Promise<unknown> =>
    dataSource.query(`
      SELECT (SELECT coalesce(json_agg(s ORDER BY day, currency), '[]') FROM daily_sales s) AS sales,
             (SELECT count(*) FROM processed_events)::int AS processed,
             (SELECT json_agg(r ORDER BY id) FROM reports r) AS reports,
             (SELECT count(*) FROM outbox_messages)::int AS outbox`);

  it(`settles every delivery, dead-letters every invalid one, changes nothing, and still processes a valid one (seed ${SEED})`, async () => {
    const before = await fingerprint();
    const cases = fc.sample(fuzzCases(reportId), { numRuns: CASES, seed: SEED });
    const expected: Record<WorkerQueue, number> = { 'reports.generate': 0, 'reports.sales-rollup': 0 };
    for (const fuzzCase of cases) {
      const options = fuzzCase.headers ? { headers: fuzzCase.headers } : {};
      if (fuzzCase.routingKey) {
        await worker.publish(fuzzCase.routingKey, fuzzCase.content, options);
      } else {
        await worker.sendToQueue(fuzzCase.queue, fuzzCase.content, options);
      }
      expected[fuzzCase.queue]++;
    }

    for (const queue of WORKER_QUEUES) {
      await worker.waitForDeadLetters(
        queue,
        expected[queue],
        30_000,
        cases.filter((fuzzCase) => fuzzCase.queue === queue).map((fuzzCase) => fuzzCase.label),
      );
    }
    expect(await fingerprint()).toEqual(before);

    // Not stalled: a valid event on each queue is still processed.
    await worker.publish('order.placed', orderEvent(`${YEAR}-06-15`).body);
    await worker.publish('report.requested', json(envelope('report.requested', { reportId })));
    await waitFor(
      async () => {
        const [row] = await dataSource.query<Array<{ status: string }>>(`SELECT status FROM reports WHERE id = $1`, [
          reportId,
        ]);
        const sales = await dataSource.query(`SELECT 1 FROM daily_sales WHERE day = $1`, [`${YEAR}-06-15`]);
        return row.status === 'done' && sales.length === 1;
      },
      30_000,
      () => 'a valid message was not processed after the fuzzing',
    );

    // Closing the consumers puts back whatever they never settled: nothing may be left.
    await worker.stopConsumers();
    for (const queue of WORKER_QUEUES) {
      expect({ queue, ready: await worker.ready(worker.queue(queue)) }).toEqual({ queue, ready: 0 });
      expect({ queue, dead: await worker.ready(`${worker.queue(queue)}.dlq`) }).toEqual({
        queue,
        dead: expected[queue],
      });
    }
  }, 120_000);
});
