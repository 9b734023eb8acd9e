import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileStorage } from '../../../libs/files/src/storage/file-storage';
import { LocalDiskStorage } from '../../../libs/files/src/storage/local-disk.storage';
import { S3Storage } from '../../../libs/files/src/storage/s3.storage';
import { startS3Server } from '../../support/s3-server';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Emits `size` bytes in 64 KiB chunks, then fails if asked to. */
function source(bytes: Buffer, failAfter?: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && offset >= failAfter) {
        this.destroy(new Error('client went away'));
        return;
      }
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(bytes.subarray(offset, offset + 65_536));
      offset += 65_536;
    },
  });
}

const sha256 = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

describe.each([['local disk'], ['S3 (s3rver)']])('%s storage', (kind) => {
  let storage: FileStorage;
  let cleanup: () => Promise<void>;
  let localDir = '';

  beforeAll(async () => {
    if (kind === 'local disk') {
      localDir = await mkdtemp(path.join(tmpdir(), 'files-'));
      storage = new LocalDiskStorage(localDir);
      cleanup = () => rm(localDir, { recursive: true, force: true });
    } else {
      const s3 = await startS3Server('files-test');
      storage = new S3Storage({
        bucket: 'files-test',
        endpoint: s3.endpoint,
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
      });
      cleanup = s3.stop;
    }
  });

  afterAll(async () => {
    await cleanup();
  });

  it('stores a multi-part-sized stream and reads back the same bytes', async () => {
    const bytes = randomBytes(20 * 1024 * 1024 + 123);
    const key = randomUUID();
    await storage.write(key, source(bytes));
    expect(await storage.exists(key)).toBe(true);
    expect(sha256(await collect(await storage.read(key)))).toBe(sha256(bytes));
  });

  it('reads exactly the byte range asked for', async () => {
    const bytes = randomBytes(300_000);
    const key = randomUUID();
    await storage.write(key, source(bytes));
    const part = await collect(await storage.read(key, { start: 1000, end: 70_999 }));
    expect(part.equals(bytes.subarray(1000, 71_000))).toBe(true);
  });

  it('reads one-byte ranges exactly, at the start and at the end (s3rver sent the whole object for bytes=0-0)', async () => {
    const bytes = randomBytes(1000);
    const key = randomUUID();
    await storage.write(key, source(bytes));
    expect((await collect(await storage.read(key, { start: 0, end: 0 }))).equals(bytes.subarray(0, 1))).toBe(true);
    expect((await collect(await storage.read(key, { start: 999, end: 999 }))).equals(bytes.subarray(999))).toBe(true);
  });

  it('leaves nothing behind when the source fails mid-way', async () => {
    const key = randomUUID();
    await expect(storage.write(key, source(randomBytes(12 * 1024 * 1024), 6 * 1024 * 1024))).rejects.toThrow(
      'client went away',
    );
    expect(await storage.exists(key)).toBe(false);
    if (kind === 'local disk') {
      const shards = await readdir(localDir);
      const leftovers = (await Promise.all(shards.map((dir) => readdir(path.join(localDir, dir))))).flat();
      expect(leftovers.filter((name) => name.startsWith(key))).toEqual([]);
    }
  });

  it('removes an object', async () => {
    const key = randomUUID();
    await storage.write(key, source(randomBytes(1000)));
    await storage.remove(key);
    expect(await storage.exists(key)).toBe(false);
  });
});
