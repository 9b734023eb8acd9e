import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';

export class SizeLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`file larger than ${limit} bytes`);
  }
}

/** The upload's own stream failed (truncated or malformed multipart, client gone): the client's doing. */
export class SourceFailed extends Error {
  constructor(cause: Error | null | undefined) {
    super('the upload stream failed before its end', { cause });
  }
}

/**
 * A pass-through that computes the SHA-256 and size of what flows through it and
 * fails the stream as soon as the size passes `maxBytes`, so an oversized upload is
 * refused without being stored (or buffered) whole.
 */
export class DigestingLimiter extends Transform {
  private readonly hash = createHash('sha256');
  sizeBytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sizeBytes += chunk.length;
    if (this.sizeBytes > this.maxBytes) {
      callback(new SizeLimitExceeded(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
