import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { PlatformError, PlatformErrorCode } from '../errors/platform-error';

/** Deeper JSON bodies are refused (API contract, "hostile input"). */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether a JSON text nests objects and arrays more than `maxDepth` levels (`{}` is one
 * level, `{"a":[]}` two). One iterative pass over the bytes, before anything parses or
 * walks the body: code that recurses over the parsed value (the Idempotency-Key's
 * canonical JSON, class-transformer, class-validator) would overflow the stack on a body
 * nested 10,000 levels deep. Brackets inside strings do not count; every byte of a
 * multi-byte UTF-8 character is >= 0x80, so none can be mistaken for a bracket or quote.
 * On invalid JSON the answer does not matter: the parser refuses it next.
 */
export function jsonNestingExceeds(body: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (inString) {
      if (byte === BACKSLASH) {
        index++;
      } else if (byte === QUOTE) {
        inString = false;
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) {
        return true;
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * The `application/json` body parser: Fastify's own (secure-json-parse, with prototype
 * and constructor poisoning refused, as Nest configures it), behind the depth check.
 * A body nested too deep is a 400 VALIDATION_FAILED with one `errors[]` entry, `body`.
 * Registered before `app.init()`, where Nest would register its default parser.
 */
export function installJsonBodyParser(app: NestFastifyApplication, maxDepth = MAX_JSON_DEPTH): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (jsonNestingExceeds(body, maxDepth)) {
      done(
        new PlatformError(PlatformErrorCode.ValidationFailed, 'The request is invalid; see errors for each field.', {
          errors: [{ field: 'body', message: `is nested deeper than ${maxDepth} levels of objects and arrays` }],
        }),
        undefined,
      );
      return;
    }
    void parseJson(request, body.toString('utf8'), done);
  });
}
