import { Controller, Get, Headers, NotFoundException, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { ReturnStatus } from '@quarterly/domain';
import { Clock, Roles } from '@quarterly/platform';
import { getAuditTrail, getStatusBoard, groupStatusBoard, listCycles, type StatusBoardGrouping } from '@quarterly/read-models';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { auditView } from '../shared/audit.view';
import { CursorPageQueryDto, cursorPageOf, MAX_PAGE_ROWS, nextCursorOf } from '../shared/cursor-page';
import { periodIdFromPath } from '../shared/path-params';
import { ConsistencyQueryDto } from '../shared/query.dto';
import { ReadModelsGateway } from '../shared/read-models.gateway';
import { attachmentHeader, exportFileName } from '../scorecards/export/export-file-name';
import { EXPORT_MEDIA_TYPES, requestedExportFormat, type ExportFormat } from '../scorecards/export/export-format';
import { ScorecardExporter } from '../scorecards/export/scorecard-exporter';
import { statusBoardCsv, statusBoardXlsx } from './status-board-table';

const STATUS_BOARD_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

const STATES: readonly ReturnStatus[] = ['requested', 'submitted', 'challenged', 'resubmitted', 'marked_not_available', 'approved', 'restated'];
const GROUPINGS: readonly StatusBoardGrouping[] = ['state', 'directorate', 'owner', 'overdue', 'escalation'];

class StatusBoardQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES)
  state?: ReturnStatus;

  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false'])
  escalated?: 'true' | 'false';

  @ApiPropertyOptional() @IsOptional() @IsString()
  directorate?: string;

  @ApiPropertyOptional({ description: 'Returns this person owns or is a key contact for.' }) @IsOptional() @IsString()
  person?: string;

  @ApiPropertyOptional({ enum: GROUPINGS }) @IsOptional() @IsIn(GROUPINGS)
  groupBy?: StatusBoardGrouping;

  @ApiPropertyOptional({ enum: STATUS_BOARD_FORMATS, description: 'A file instead of JSON (or send Accept: text/csv or the XLSX media type).' })
  @IsOptional() @IsIn([...STATUS_BOARD_FORMATS], { message: 'must be one of csv, xlsx' })
  format?: ExportFormat;
}

@ApiTags('Reporting cycles')
@ApiBearerAuth()
@Controller('cycles')
export class CycleQueriesController {
  constructor(
    private readonly readModels: ReadModelsGateway,
    private readonly clock: Clock,
    private readonly exporter: ScorecardExporter,
  ) {}

  @Get()
  @Roles('performance-team', 'service-lead', 'dmt', 'clt', 'auditor', 'member')
  @ApiOperation({ summary: 'Every cycle, newest first' })
  async list(@Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) response: Response) {
    return listCycles(await this.readModels.db(query.after, response));
  }

  @Get(':period/status-board')
  @Roles('performance-team', 'service-lead', 'dmt', 'clt', 'auditor')
  @ApiOperation({
    summary: "The cycle's status board: each return's state, overdue and escalation, with counts",
    description: 'With format=csv|xlsx (or an Accept header naming one) the filtered board comes as a file named for the council, the cycle and the time.',
  })
  @ApiProduces('application/json', ...STATUS_BOARD_FORMATS.map((f) => EXPORT_MEDIA_TYPES[f]))
  async statusBoard(@Param('period') period: string, @Query() query: StatusBoardQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const format = requestedExportFormat(query.format, accept, STATUS_BOARD_FORMATS);
    const db = await this.readModels.db(query.after, response);
    const board = await getStatusBoard(db, cycleId, {
      now: this.clock.now(),
      filter: {
        ...(query.state ? { states: [query.state] } : {}),
        ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
        ...(query.escalated ? { escalated: query.escalated === 'true' } : {}),
        ...(query.directorate !== undefined ? { directorate: query.directorate } : {}),
        ...(query.person !== undefined ? { person: query.person } : {}),
      },
    });
    if (!board) throw new NotFoundException(`no cycle is open for ${cycleId}`);
    if (format !== null) {
      const body = format === 'csv' ? statusBoardCsv(board) : await statusBoardXlsx(board, this.exporter.councilName);
      response.setHeader('Content-Type', EXPORT_MEDIA_TYPES[format]);
      response.setHeader('Content-Disposition', attachmentHeader(exportFileName(this.exporter.councilName, 'status-board', cycleId, board.asOf, format)));
      return new StreamableFile(body);
    }
    return query.groupBy ? { ...board, groups: groupStatusBoard(board.returns, query.groupBy) } : board;
  }

  @Get(':period/audit')
  @Roles('performance-team', 'auditor')
  @ApiOperation({
    summary: "The cycle's audit trail",
    description: 'Pages of at most 10000 events (limit); nextCursor (and a Link rel="next" header) names the next page while there may be more.',
  })
  async audit(@Param('period') period: string, @Query() query: CursorPageQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const db = await this.readModels.db(query.after, response);
    const page = cursorPageOf(query, MAX_PAGE_ROWS);
    const entries = await getAuditTrail(db, { cycleId }, page);
    return { ...auditView(entries), nextCursor: nextCursorOf(entries, page, request, response) };
  }
}
