import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { FileError, FileErrorCode, fileTooLarge } from './files.errors';

/**
 * Room for the multipart envelope around the file (boundaries, part headers, the
 * few small fields the parser accepts): a body declared larger than the file limit
 * plus this cannot hold a file within the limit.
 */
export const MULTIPART_FRAMING_ALLOWANCE = 64 * 1024;

/**
 * Refuses an upload from its declared Content-Length alone, before a byte of the
 * body is read (with `Expect: 100-continue`, before the client sends it). A chunked
 * upload has no length: the service's limiter stops reading it at the limit.
 */
export function refuseDeclaredOversize(contentLength: string | undefined, maxFileBytes: number): void {
  // Node has already refused a Content-Length that is not a number.
  if (contentLength !== undefined && Number(contentLength) > maxFileBytes + MULTIPART_FRAMING_ALLOWANCE) {
    throw fileTooLarge(maxFileBytes);
  }
}

/**
 * The upload's first part. The parser's own limit errors (413) keep their status;
 * anything else it throws is about the framing it was sent (no boundary, a malformed
 * part header, a body cut short before the first part), never a fault of the server.
 */
export async function firstPart(request: FastifyRequest, maxFileBytes: number): Promise<MultipartFile | undefined> {
  try {
    return await request.file({ limits: { fileSize: maxFileBytes + 1 } });
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode === 413) {
      throw error;
    }
    throw new FileError(
      FileErrorCode.MalformedUpload,
      'The multipart body is malformed (a missing boundary, a broken part header, or a body that ends too soon).',
    );
  }
}
