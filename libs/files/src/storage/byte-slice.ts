import { Transform, TransformCallback } from 'node:stream';

/** Passes on `length` bytes after skipping `skip`, then ends (the rest is dropped). */
export class ByteSlice extends Transform {
  private offset = 0;

  constructor(
    private readonly skip: number,
    private readonly length: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const from = Math.max(0, this.skip - this.offset);
    const to = Math.min(chunk.length, this.skip + this.length - this.offset);
    this.offset += chunk.length;
    callback(null, from < to ? chunk.subarray(from, to) : undefined);
  }
}
