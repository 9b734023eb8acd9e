import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { pipeline, type Readable } from 'node:stream';
import type { FilesConfig } from '../files.config';
import { ByteSlice } from './byte-slice';
import { ByteRange, FileStorage } from './file-storage';

/**
 * Any S3-compatible store. Uploads are multipart (lib-storage), so a large file is
 * sent in parts as it streams in; a failed upload is aborted, which discards the parts.
 */
export class S3Storage extends FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: FilesConfig['s3']) {
    super();
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials:
        config.accessKeyId && config.secretAccessKey
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
      // Checksums only where S3 requires them: several S3-compatible stores reject
      // the newer default trailing checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async write(key: string, source: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: source },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    let sourceError: Error | undefined;
    source.once('error', (error: Error) => {
      sourceError = error;
      void upload.abort();
    });
    try {
      await upload.done();
    } catch (error) {
      if (sourceError) {
        throw sourceError;
      }
      throw error;
    }
    if (sourceError) {
      await this.remove(key);
      throw sourceError;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const response = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    const body = response.Body as Readable;
    if (!range || response.ContentRange?.startsWith(`bytes ${range.start}-${range.end}/`)) {
      return body;
    }
    // Some S3-compatible stores widen a range they read as trivial (s3rver sends the
    // whole object for bytes=0-0): the exact bytes asked for are cut out here.
    const sentFrom = Number(/^bytes (\d+)-/.exec(response.ContentRange ?? '')?.[1] ?? 0);
    const slice = new ByteSlice(range.start - sentFrom, range.end - range.start + 1);
    pipeline(body, slice, () => undefined);
    return slice;
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return false;
      }
      throw error;
    }
  }
}
