import { decodeCursor, ISO_TIME, Page, toPage } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { finished, type Readable } from 'node:stream';
import { uuidv7 } from 'uuidv7';
import { DigestingLimiter, SizeLimitExceeded, SourceFailed } from './byte-counter';
import { parseByteRange } from './byte-range';
import { filesConfig } from './files.config';
import { FileError, FileErrorCode, fileTooLarge } from './files.errors';
import { FilesRepository, StoredFile } from './files.repository';
import { ByteRange, FileStorage } from './storage/file-storage';

export interface FileCaller {
  id: string;
  isAdmin: boolean;
}

export interface FileView {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface FileDownload {
  file: FileView;
  /** The bytes sent: the whole file, or the one range asked for. */
  range?: ByteRange;
  stream: Readable;
}

@Injectable()
export class FilesService {
  constructor(
    private readonly files: FilesRepository,
    private readonly storage: FileStorage,
    @Inject(filesConfig.KEY) private readonly config: ConfigType<typeof filesConfig>,
  ) {}

  get maxUploadBytes(): number {
    return this.config.maxBytes;
  }

  /**
   * Streams the upload to storage while hashing and counting it. The row is
   * inserted only once the bytes are stored, so a listed file always has its bytes;
   * an oversized or aborted upload leaves neither bytes nor row.
   */
  async upload(
    ownerId: string,
    input: { filename?: string; contentType?: string; content: Readable },
  ): Promise<FileView> {
    const id = uuidv7();
    // Everything that could fail on the input is done before a byte is stored.
    const filename = sanitizeFilename(input.filename);
    const contentType = mediaTypeOrOctetStream(input.contentType);
    const limiter = new DigestingLimiter(this.config.maxBytes);
    // finished() also reports a failure that happened before this line (a body cut
    // off mid-part fails the part stream before the controller hands it over), which
    // a plain 'error' listener would miss and leave storage waiting forever.
    finished(input.content, (error) => {
      if (error) {
        limiter.destroy(new SourceFailed(error));
      }
    });
    // The storage driver reports the limiter's failure through write(); this listener
    // only keeps a late duplicate 'error' event from crashing the process.
    limiter.on('error', () => undefined);
    try {
      await this.storage.write(id, input.content.pipe(limiter));
    } catch (error) {
      // Stop reading the request: the rest of an oversized or failed upload is never read.
      input.content.destroy();
      // The limiter keeps the first failure: the source's, the limit's, or storage's own.
      const failure = limiter.errored ?? error;
      if (failure instanceof SizeLimitExceeded) {
        throw fileTooLarge(this.config.maxBytes);
      }
      if (failure instanceof SourceFailed) {
        throw new FileError(
          FileErrorCode.MalformedUpload,
          'The multipart body ended before the file part was complete, or is malformed.',
        );
      }
      throw error;
    }
    const entity: StoredFile = {
      id,
      ownerId,
      filename,
      contentType,
      sizeBytes: limiter.sizeBytes,
      sha256: limiter.digest(),
      storageKey: id,
      createdAt: new Date(),
    };
    try {
      await this.files.insert(entity);
    } catch (error) {
      await this.storage.remove(id).catch(() => undefined);
      throw error;
    }
    return toView(entity);
  }

  async list(caller: FileCaller, limit: number, cursor?: string): Promise<Page<FileView>> {
    const after = decodeCursor(cursor, ISO_TIME);
    const rows = await this.files.listVisible(
      caller.isAdmin ? undefined : caller.id,
      limit + 1,
      after && { createdAt: new Date(after.key), id: after.id },
    );
    return toPage(rows, limit, (row) => ({ key: row.createdAt.toISOString(), id: row.id }), toView);
  }

  async describe(caller: FileCaller, id: string): Promise<FileView> {
    return toView(await this.findVisible(caller, id));
  }

  /** Opens the file (or the single range asked for) for streaming. */
  async open(caller: FileCaller, id: string, rangeHeader?: string): Promise<FileDownload> {
    const entity = await this.findVisible(caller, id);
    const range = parseByteRange(rangeHeader, entity.sizeBytes);
    if (range === 'unsatisfiable') {
      throw new FileError(FileErrorCode.RangeNotSatisfiable, `The file has ${entity.sizeBytes} bytes.`, {
        sizeBytes: entity.sizeBytes,
      });
    }
    const stream = await this.storage.read(entity.storageKey, range);
    return { file: toView(entity), range, stream };
  }

  async remove(caller: FileCaller, id: string): Promise<void> {
    const entity = await this.findVisible(caller, id);
    await this.files.delete(entity.id);
    await this.storage.remove(entity.storageKey);
  }

  private async findVisible(caller: FileCaller, id: string): Promise<StoredFile> {
    const entity = await this.files.findVisible(id, caller.isAdmin ? undefined : caller.id);
    if (!entity) {
      // Another user's file is reported missing, not forbidden: its existence is not revealed.
      throw new FileError(FileErrorCode.NotFound, 'No such file.');
    }
    return entity;
  }
}

function toView(entity: StoredFile): FileView {
  return {
    id: entity.id,
    filename: entity.filename,
    contentType: entity.contentType,
    sizeBytes: entity.sizeBytes,
    sha256: entity.sha256,
    createdAt: entity.createdAt.toISOString(),
  };
}

/** Keeps the name displayable and header-safe: no path, no control characters, bounded length. */
function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return cleaned === '' ? 'file' : cleaned;
}

/** RFC 9110's `type/subtype`, both tokens (the multipart parser hands the type over without parameters). */
const MEDIA_TYPE = /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+$/u;

/**
 * The part's declared type when it is a media type, else `application/octet-stream`. It is
 * stored as text (PostgreSQL refuses a NUL) and sent back as the download's Content-Type (Node
 * refuses control characters in a header), so a malformed one must not get that far: the
 * upload fuzz found a NUL in it answered with a 500.
 */
function mediaTypeOrOctetStream(declared: string | undefined): string {
  const value = declared?.trim() ?? '';
  return value.length > 0 && value.length <= 255 && MEDIA_TYPE.test(value) ? value : 'application/octet-stream';
}
