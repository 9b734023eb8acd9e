import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { orderEvent, WORKER_QUEUES, WorkerQueue } from '../support/broker-worker';

/**
 * The hostile messages of the broker fuzzing spec: what a buggy or malicious producer
 * could put on the worker's queues. Every case is invalid by construction.
 */

/** Every order-shaped payload is dated in this year, so the rollup fingerprint covers them all. */
export const YEAR = '2041';

export interface FuzzCase {
  label: string;
  queue: WorkerQueue;
  /** Published to the exchange with this routing key; else put straight onto the queue. */
  routingKey?: string;
  content: Buffer;
  headers?: Record<string, unknown>;
}

export const envelope = (type: unknown, payload: unknown, id: unknown = randomUUID()) => ({
  id,
  type,
  occurredAt: new Date().toISOString(),
  payload,
});
export const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const validOrder = (status = 'placed') =>
  JSON.parse(orderEvent(`${YEAR}-03-03`, { status }).body.toString()).payload as Record<string, unknown>;
const line = () => ({ productId: randomUUID(), quantity: 2, unitPriceCents: 617 });

/** One change that breaks an otherwise valid order: a bound, a type, a field, the total. */
interface Mutation {
  label: string;
  mutate(order: Record<string, unknown>): void;
}
const mutation = (label: string, mutate: (order: Record<string, unknown>) => void): Mutation => ({ label, mutate });
const orderMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .oneof(
      fc.integer({ min: 1001 }),
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(1e308, 2 ** 53 + 2, '2', null),
    )
    .map((quantity) =>
      mutation(`quantity ${String(quantity)}`, (order) => {
        order.items = [{ ...line(), quantity }];
      }),
    ),
  fc.integer({ min: 51, max: 200 }).map((count) =>
    mutation(`${count} lines`, (order) => {
      order.items = Array.from({ length: count }, line);
    }),
  ),
  fc.constant(
    mutation('no lines', (order) => {
      order.items = [];
    }),
  ),
  fc
    .oneof(fc.integer({ min: 1235 }), fc.integer({ max: 1233 }), fc.constantFrom(1e300, -1, 1234.5, '1234'))
    .map((totalCents) =>
      mutation(`totalCents ${String(totalCents)}`, (order) => {
        order.totalCents = totalCents;
      }),
    ),
  fc.oneof(fc.integer({ min: 100_000_001 }), fc.constantFrom(-617, 1e21)).map((unitPriceCents) =>
    mutation(`unitPriceCents ${unitPriceCents}`, (order) => {
      order.items = [{ ...line(), unitPriceCents }];
    }),
  ),
  fc.constantFrom('eur', 'EURO', '', 42, null).map((currency) =>
    mutation(`currency ${String(currency)}`, (order) => {
      order.currency = currency;
    }),
  ),
  fc.constantFrom('yesterday', `${YEAR}-13-45T00:00:00Z`, 0, null).map((createdAt) =>
    mutation(`createdAt ${String(createdAt)}`, (order) => {
      order.createdAt = createdAt;
    }),
  ),
  fc.constantFrom('the other one', 'shipped', 1).map((status) =>
    mutation(`status ${status}`, (order) => {
      order.status = status === 'the other one' ? (order.status === 'placed' ? 'cancelled' : 'placed') : status;
    }),
  ),
  fc.constantFrom('id', 'userId', 'items', 'totalCents', 'currency', 'createdAt').map((key) =>
    mutation(`no ${key}`, (order) => {
      delete order[key];
    }),
  ),
  fc.constantFrom('not-a-uuid', 7).map((id) =>
    mutation(`order id ${id}`, (order) => {
      order.id = id;
    }),
  ),
);

/** The worker's bound types, for routing; an envelope type outside them must never be applied. */
const orderTypes = fc.constantFrom('order.placed', 'order.cancelled');
const unknownTypes = fc.oneof(
  fc.constantFrom(
    'totally.unknown',
    'order.placed.v2',
    'ORDER.PLACED',
    'order',
    'report.requested',
    'order.placed ',
    '',
  ),
  fc
    .stringMatching(/^[a-z]{1,12}(\.[a-z]{1,12}){0,3}$/)
    .filter((type) => !['order.placed', 'order.cancelled', 'report.requested'].includes(type)),
);

export function fuzzCases(seededReportId: string): fc.Arbitrary<FuzzCase> {
  const anyQueue = fc.constantFrom<WorkerQueue>(...WORKER_QUEUES);
  const boundKey = (queue: WorkerQueue) =>
    queue === 'reports.generate' ? fc.constant('report.requested') : orderTypes;
  /** Either queue, sent straight to it or through the exchange with one of its keys. */
  const garbage = (label: string, content: fc.Arbitrary<Buffer>): fc.Arbitrary<FuzzCase> =>
    fc
      .tuple(anyQueue, fc.boolean(), content)
      .chain(([queue, routed, body]) =>
        boundKey(queue).map((key) => ({ label, queue, routingKey: routed ? key : undefined, content: body })),
      );

  const cases: fc.Arbitrary<FuzzCase> = fc.oneof(
    garbage(
      'non-JSON bytes',
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    ),
    garbage(
      'invalid UTF-8',
      fc.constantFrom(
        Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
        Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
      ),
    ),
    garbage('random JSON', fc.jsonValue().map(json)),
    garbage(
      'JSON null, arrays, scalars',
      fc
        .constantFrom(null, [], [null], [envelope('order.placed', validOrder())], 0, -1, '', 'null', true, 1e308)
        .map(json),
    ),
    garbage(
      'huge numbers',
      fc.constantFrom('1e999999', '9'.repeat(5000), '{"id":1e400}', '-0').map((text) => Buffer.from(text)),
    ),
    garbage(
      'envelope with wrong types',
      fc
        .record({
          id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant(undefined)),
          type: fc.oneof(fc.integer(), fc.constant(null), fc.constantFrom('order.placed', 'report.requested')),
          occurredAt: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
          payload: fc.jsonValue(),
        })
        .map(json),
    ),
    fc.tuple(anyQueue, unknownTypes).map(([queue, type]) => ({
      label: `unknown type "${type}" with a valid order`,
      queue,
      content: json(envelope(type, validOrder())),
    })),
    fc.tuple(orderTypes, orderMutation, fc.boolean()).map(([type, { label, mutate }, routed]) => {
      const order = validOrder(type === 'order.cancelled' ? 'cancelled' : 'placed');
      mutate(order);
      return {
        label: `${type}: ${label}`,
        queue: 'reports.sales-rollup' as const,
        routingKey: routed ? type : undefined,
        content: json(envelope(type, order)),
      };
    }),
    fc
      .constantFrom(
        null,
        {},
        [],
        { reportId: 42 },
        { reportId: [seededReportId] },
        { reportId: `${seededReportId}x` },
        { report_id: seededReportId },
        { reportId: 'not-a-uuid' },
      )
      .map((payload) => ({
        label: `report.requested ${JSON.stringify(payload)}`,
        queue: 'reports.generate' as const,
        routingKey: 'report.requested',
        content: json(envelope('report.requested', payload)),
      })),
    fc.uuid().map((reportId) => ({
      label: 'report.requested for a report that does not exist',
      queue: 'reports.generate' as const,
      routingKey: 'report.requested',
      content: json(envelope('report.requested', { reportId })),
    })),
  );
  // Any of them may also carry an attempt header that is not a positive integer.
  const badAttempt = fc.constantFrom<unknown>('NaN', 'abc', '', 0, -1, 1.5, -0.5, 1e9, true, false, 'Infinity');
  return fc.tuple(cases, fc.option(badAttempt, { freq: 3 })).map(([fuzzCase, attempt]) =>
    attempt === null
      ? fuzzCase
      : {
          ...fuzzCase,
          label: `${fuzzCase.label}, x-attempt ${JSON.stringify(attempt)}`,
          headers: { 'x-attempt': attempt },
        },
  );
}
