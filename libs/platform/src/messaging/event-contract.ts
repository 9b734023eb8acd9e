import { z } from 'zod';

/**
 * An event type and the schema of its payload: the one definition the publisher
 * (through the outbox) and every consumer share, so what is sent is what is
 * checked on arrival. Features declare theirs next to the code that emits them.
 */
export interface EventContract<TType extends string = string, TPayload = unknown> {
  readonly type: TType;
  readonly schema: z.ZodType<TPayload>;
}

/** A delivered event whose payload passed its contract's schema. */
export interface EventMessage<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  occurredAt: string;
  payload: TPayload;
}

/** The event message of one contract (distributes over a union of contracts). */
export type EventOf<C> = C extends EventContract<infer TType, infer TPayload> ? EventMessage<TType, TPayload> : never;

/** The payload type of a contract, for publishers. */
export type PayloadOf<C> = C extends EventContract<string, infer TPayload> ? TPayload : never;

export function defineEvent<const TType extends string, TPayload>(
  type: TType,
  schema: z.ZodType<TPayload>,
): EventContract<TType, TPayload> {
  return Object.freeze({ type, schema });
}

/**
 * Thrown for a delivery that can never succeed (unparseable, of a type the queue does
 * not accept, a payload its contract rejects, or one a handler knows is permanently
 * wrong): the bus dead-letters it at once instead of retrying it.
 */
export class InvalidMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

/** The first few schema issues, as `path: message`, short enough for a log line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
