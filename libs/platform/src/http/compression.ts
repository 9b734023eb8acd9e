import { brotliCompressSync, constants as zlib, deflateSync, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';

/**
 * Response compression's settings, in one place for the two paths that compress: the
 * @fastify/compress plugin (every reply) and the cached representations of
 * @CachedResponse routes, compressed once per cached value (cached-response/json-representation.ts).
 */
export const COMPRESSION_ENCODINGS = ['br', 'gzip', 'deflate'] as const;
export type CompressionEncoding = (typeof COMPRESSION_ENCODINGS)[number];
/** Smaller bodies are sent as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;
/** Brotli's default quality (11) is far too slow for responses made per request. */
export const BROTLI_OPTIONS = { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } };

/** `*` and `x-gzip` mean gzip, as @fastify/compress reads them (RFC 9110 12.5.3). */
const GZIP_ALIASES = /\*|x-gzip/gu;
/** The negotiator's list, made once (it takes a mutable array). */
const SUPPORTED: CompressionEncoding[] = [...COMPRESSION_ENCODINGS];

/**
 * The encoding the plugin would pick for this Accept-Encoding (the same negotiator, the
 * same aliases and preference order), or undefined for none or identity.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): CompressionEncoding | undefined {
  if (acceptEncoding === undefined) {
    return undefined;
  }
  // It answers one of SUPPORTED (identity is not one) or null.
  return negotiate(acceptEncoding.toLowerCase().replace(GZIP_ALIASES, 'gzip'), SUPPORTED) ?? undefined;
}

export function compressSync(encoding: CompressionEncoding, body: Buffer): Buffer {
  switch (encoding) {
    case 'br':
      return brotliCompressSync(body, BROTLI_OPTIONS);
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
  }
}
