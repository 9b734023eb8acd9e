import {
  AdminRoute,
  AuthenticatedUser,
  CachedResponse,
  CurrentUser,
  ProblemDetailsDto,
  queryCacheKey,
} from '@app/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  getSchemaPath,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  DateRangeQueryDto,
  ReportIdParams,
  ReportResponse,
  RequestReportDto,
  SalesRowResponse,
} from './dto/reports.dto';
import { ExportFormat, ReportsService, SALES_CACHE } from './reports.service';

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

@ApiTags('reports')
@AdminRoute()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('orders.csv')
  @ApiOperation({ summary: 'Orders as CSV, streamed from one database COPY (compressed by Accept-Encoding)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'id,userId,status,itemCount,totalCents,currency,createdAt' })
  // The raw reply: the export's database read is stopped when the client disconnects (see stream()).
  async csv(@Query() query: DateRangeQueryDto, @Res() reply: FastifyReply): Promise<void> {
    await this.stream('csv', query, reply);
  }

  @Get('orders.ndjson')
  @ApiOperation({ summary: 'Orders as newline-delimited JSON, streamed' })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'One JSON object per line' })
  // The raw reply: the export's database read is stopped when the client disconnects (see stream()).
  async ndjson(@Query() query: DateRangeQueryDto, @Res() reply: FastifyReply): Promise<void> {
    await this.stream('ndjson', query, reply);
  }

  @Get('sales')
  @ApiOperation({ summary: 'Daily sales from the rollup the worker keeps from order events (cached)' })
  @ApiOkResponse({ schema: { type: 'array', maxItems: 10_000, items: { $ref: getSchemaPath(SalesRowResponse) } } })
  @ApiExtraModels(SalesRowResponse)
  // Keyed by the query as sent: `reports:sales:{…}` cannot meet the older `reports:sales:v2:…` entries.
  @CachedResponse({ ...SALES_CACHE, key: (request) => queryCacheKey('reports:sales', request) })
  sales(@Query() query: DateRangeQueryDto): Promise<SalesRowResponse[]> {
    return this.reports.sales(query);
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a report; the worker builds the file' })
  @ApiAcceptedResponse({ type: ReportResponse })
  request(@CurrentUser() user: AuthenticatedUser, @Body() body: RequestReportDto): Promise<ReportResponse> {
    return this.reports.request(user.id, body.format, body);
  }

  @Get(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A queued report and its status' })
  @ApiOkResponse({ type: ReportResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'REPORT_NOT_FOUND' })
  get(@Param() params: ReportIdParams): Promise<ReportResponse> {
    return this.reports.get(params.id);
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'Stream a finished report' })
  @ApiOkResponse({ description: 'The file' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'REPORT_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'REPORT_NOT_READY' })
  async download(@Param() params: ReportIdParams): Promise<StreamableFile> {
    const { report, stream } = await this.reports.download(params.id);
    return new StreamableFile(stream, {
      type: CONTENT_TYPE[report.format],
      disposition: `attachment; filename="orders-${report.id}.${report.format}"`,
    });
  }

  private async stream(format: ExportFormat, query: DateRangeQueryDto, reply: FastifyReply): Promise<void> {
    const rows = await this.reports.exportOrders(format, query);
    // A client that disconnects ends the export: the database read stops and its connection is given up.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) {
        rows.destroy();
      }
    });
    await reply
      .header('content-type', CONTENT_TYPE[format])
      .header('content-disposition', `attachment; filename="orders.${format}"`)
      .header('cache-control', 'no-store')
      .send(rows);
  }
}
