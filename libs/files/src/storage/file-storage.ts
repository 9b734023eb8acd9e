import type { Readable } from 'node:stream';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * Where file bytes live. Implementations stream both ways (nothing is buffered
 * whole) and never leave a partial object behind when the source fails.
 */
export abstract class FileStorage {
  /** Stores the stream under `key`; resolves once the bytes are safely stored. */
  abstract write(key: string, source: Readable): Promise<void>;

  /** Streams the object, or one byte range of it. */
  abstract read(key: string, range?: ByteRange): Promise<Readable>;

  abstract remove(key: string): Promise<void>;

  abstract exists(key: string): Promise<boolean>;

  /**
   * Removes partial objects (writes never completed) of keys starting with `keyPrefix`
   * whose writer is gone, and returns their names. A store whose failed writes leave
   * nothing needs no sweep: S3 multipart uploads are aborted on failure, and one cut
   * off by a crash is the bucket lifecycle rule's (AbortIncompleteMultipartUpload).
   */
  sweepPartials(_keyPrefix: string): Promise<string[]> {
    return Promise.resolve([]);
  }
}
