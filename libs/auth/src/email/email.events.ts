import { defineEvent } from '@app/platform';
import { z } from 'zod';

/**
 * An account email to send, enqueued in the transaction of the request that asks for
 * it. It names the recipient, never the token: the consumer mints the token when it
 * sends, so a raw token is never written anywhere (the outbox keeps its rows). A
 * password reset names the address as typed: the request does the same work whether
 * or not an account has it, and the consumer finds out.
 */
export const EmailRequested = defineEvent(
  'email.requested',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('verify-email'), userId: z.uuid() }),
    z.object({ kind: z.literal('password-reset'), email: z.email().max(254) }),
  ]),
);

export type EmailRequest = z.infer<typeof EmailRequested.schema>;
