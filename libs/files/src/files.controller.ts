import {
  AuthenticatedUser,
  CurrentUser,
  isAdmin,
  isNotModified,
  PaginationQueryDto,
  ProblemDetailsDto,
  rangeStillApplies,
  SignedInRoute,
} from '@app/platform';
import { Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { FileIdParams } from './dto/file-id.params';
import { FilePageResponse, FileResponse } from './dto/file.response';
import { FileError, FileErrorCode } from './files.errors';
import { FileCaller, FilesService } from './files.service';
import { firstPart, refuseDeclaredOversize } from './multipart-upload';

const caller = (user: AuthenticatedUser): FileCaller => ({ id: user.id, isAdmin: isAdmin(user) });

@ApiTags('files')
@SignedInRoute()
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Upload a file (multipart field `file`), streamed to storage with its SHA-256' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiCreatedResponse({ type: FileResponse })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'FILE_MISSING, or FILE_UPLOAD_MALFORMED (broken multipart framing); nothing is kept',
  })
  @ApiPayloadTooLargeResponse({
    type: ProblemDetailsDto,
    description: 'FILE_TOO_LARGE (also refused from a larger Content-Length before the body is read); nothing is kept',
  })
  async upload(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest): Promise<FileResponse> {
    refuseDeclaredOversize(request.headers['content-length'], this.files.maxUploadBytes);
    const part = request.isMultipart() ? await firstPart(request, this.files.maxUploadBytes) : undefined;
    // The first part may be a plain field (no filename, a text type), which has no stream.
    if (!part || part.type !== 'file' || part.fieldname !== 'file') {
      (part?.file as Readable | undefined)?.destroy();
      throw new FileError(FileErrorCode.MissingFile, 'Send the file as multipart/form-data in the field "file".');
    }
    return this.files.upload(user.id, { filename: part.filename, contentType: part.mimetype, content: part.file });
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The caller's files (an admin sees all), newest first" })
  @ApiOkResponse({ type: FilePageResponse })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: PaginationQueryDto): Promise<FilePageResponse> {
    return this.files.list(caller(user), query.limit, query.cursor);
  }

  @Get(':id')
  // Stored bytes go out as they are: compression would drop Content-Length and break ranges.
  @RouteConfig({ compress: false })
  @ApiOperation({ summary: 'Download, streamed, with Content-Length, ETag and single Range requests (206)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The whole file' })
  @ApiResponse({ status: 206, description: 'The requested byte range' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match)' })
  @ApiHeader({
    name: 'If-Range',
    required: false,
    schema: { type: 'string', maxLength: 200 },
    description: 'The range is served only if this is the current ETag; otherwise the whole file (200)',
  })
  @ApiResponse({
    status: 416,
    type: ProblemDetailsDto,
    description: 'FILE_RANGE_NOT_SATISFIABLE: the Range lies outside the file; Content-Range gives its size',
  })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: "FILE_NOT_FOUND (also another customer's file)" })
  async download(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: FileIdParams,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    // The raw reply: the status (200, 206 or 304) and Content-Length/Content-Range depend on the range served.
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const etag = await this.files.describe(caller(user), params.id).then((file) => `"${file.sha256}"`);
    if (isNotModified(ifNoneMatch, etag)) {
      await reply.status(304).header('etag', etag).send();
      return;
    }
    // A stale, weak or date If-Range gets the whole file (see rangeStillApplies).
    const applicableRange = rangeStillApplies(ifRange, etag) ? range : undefined;
    const download = await this.files.open(caller(user), params.id, applicableRange);
    const { file } = download;
    void reply
      .header('content-type', file.contentType)
      .header('etag', etag)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-cache')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    if (download.range) {
      const { start, end } = download.range;
      void reply
        .status(206)
        .header('content-range', `bytes ${start}-${end}/${file.sizeBytes}`)
        .header('content-length', end - start + 1);
    } else {
      void reply.status(200).header('content-length', file.sizeBytes);
    }
    await reply.send(download.stream);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a file' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: "FILE_NOT_FOUND (also another customer's file)" })
  remove(@CurrentUser() user: AuthenticatedUser, @Param() params: FileIdParams): Promise<void> {
    return this.files.remove(caller(user), params.id);
  }
}
