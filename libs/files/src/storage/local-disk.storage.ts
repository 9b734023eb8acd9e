import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { uuidv7 } from 'uuidv7';
import { ByteRange, FileStorage } from './file-storage';
import { PARTIAL_OWNER, sweepStalePartials } from './partial-files';

/**
 * Files on local disk. Bytes go to a temporary file that is renamed into place
 * only when the whole stream arrived, so a failed or aborted upload leaves nothing.
 */
export class LocalDiskStorage extends FileStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = path.resolve(root);
  }

  async write(key: string, source: Readable): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.partial-${uuidv7()}${PARTIAL_OWNER}`;
    // The file is opened here, not lazily by a write stream, so that it exists and its
    // descriptor is ours before any failure: the cleanup below closes it, then removes it.
    const handle = await open(temporary, 'wx');
    try {
      await pipeline(source, handle.createWriteStream());
      await rename(temporary, target);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
  }

  read(key: string, range?: ByteRange): Promise<Readable> {
    return Promise.resolve(createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {}));
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  override sweepPartials(keyPrefix: string): Promise<string[]> {
    return sweepStalePartials(path.dirname(this.pathOf(keyPrefix)), keyPrefix);
  }

  /** Keys are generated ids; the check still refuses anything that would escape the root. */
  private pathOf(key: string): string {
    if (!/^[\w./-]+$/.test(key) || key.includes('..')) {
      throw new Error(`invalid storage key: ${key}`);
    }
    return path.join(this.root, key.slice(0, 2), key);
  }
}
