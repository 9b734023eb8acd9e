export const IDEMPOTENT_KEY = 'idempotent';

export interface IdempotentOptions {
  /** When true, a request without the header is a 400. */
  required: boolean;
}
