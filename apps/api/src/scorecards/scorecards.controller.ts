import { Controller, Get, Headers, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentPrincipal, Roles, type Principal } from '@quarterly/platform';
import { getExceptions, getScorecard, getScorecardChanges, type ScorecardGrouping } from '@quarterly/read-models';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { periodIdFromPath } from '../shared/path-params';
import { AsAtQueryDto } from '../shared/query.dto';
import { ReadModelsGateway } from '../shared/read-models.gateway';
import { EXPORT_MEDIA_TYPES, requestedExportFormat, type ExportFormat } from './export/export-format';
import { ScorecardExporter } from './export/scorecard-exporter';
import { assertPeriodVisible } from '../shared/published-cycles';

const SCORECARD_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'pdf'];

class ScorecardQueryDto extends AsAtQueryDto {
  @ApiPropertyOptional({ enum: ['directorate', 'plan_outcome'] }) @IsOptional() @IsIn(['directorate', 'plan_outcome'])
  groupBy?: ScorecardGrouping;

  @ApiPropertyOptional({ enum: SCORECARD_FORMATS, description: 'A file instead of JSON (or send Accept: text/csv, the XLSX media type, or application/pdf).' })
  @IsOptional() @IsIn([...SCORECARD_FORMATS], { message: 'must be one of csv, xlsx, pdf' })
  format?: ExportFormat;
}

class ScorecardChangesQueryDto extends AsAtQueryDto {
  @ApiPropertyOptional({ example: '2026-10-05T17:00:00Z', description: 'Compare the scorecard as it stood then with asAt (default now).' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant, e.g. 2026-10-05T17:00:00Z' })
  since!: string;
}

const EVERYONE = ['performance-team', 'service-lead', 'dmt', 'clt', 'auditor', 'member'] as const;

/**
 * Scorecards are computed from the value history, so any past moment can be asked for:
 * "what did Cabinet see on 5 December, and what changed since?". Members (councillors) see a
 * quarter's scorecard once its cycle is closed and published.
 */
@ApiTags('Scorecards')
@ApiBearerAuth()
@Controller('scorecards/:period')
export class ScorecardsController {
  constructor(
    private readonly readModels: ReadModelsGateway,
    private readonly exporter: ScorecardExporter,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...EVERYONE)
  @ApiOperation({
    summary: "A quarter's scorecard as at an instant: figures, targets, status, direction of travel and summary",
    description:
      'A KPI with no approved figure says why in noFigureReason: not_yet_due (nothing submitted, due date not passed), ' +
      'overdue (nothing submitted, due date passed), awaiting_approval, or not_available (approved as not available). ' +
      'Each is judged with the due date as it stood at asAt. With format=csv|xlsx|pdf (or an Accept header naming one of them) ' +
      'the scorecard comes as a file named for the council, the period and the instant: CSV (RFC 4180, UTF-8 with BOM, ' +
      'formula-like cells neutralised), XLSX (summary sheet and one sheet per directorate) or PDF for committee papers.',
  })
  @ApiProduces('application/json', ...SCORECARD_FORMATS.map((f) => EXPORT_MEDIA_TYPES[f]))
  async scorecard(
    @Param('period') period: string,
    @Query() query: ScorecardQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const cycleId = periodIdFromPath(period, 'period');
    const format = requestedExportFormat(query.format, accept, SCORECARD_FORMATS);
    const db = await this.readModels.db(query.after, response);
    await assertPeriodVisible(db, cycleId, principal);
    // "Now" is the engine's clock, as for every deadline it judges.
    const scorecard = await getScorecard(db, cycleId, { asAt: query.asAt ?? this.clock.now(), ...(query.groupBy ? { groupBy: query.groupBy } : {}) });
    if (format === null) return scorecard;
    const file = await this.exporter.export(scorecard, format);
    response.setHeader('Content-Type', file.mediaType);
    response.setHeader('Content-Disposition', file.disposition);
    return new StreamableFile(file.body);
  }

  @Get('changes')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'What changed on the scorecard between two instants (figures and statuses)' })
  async changes(@Param('period') period: string, @Query() query: ScorecardChangesQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const db = await this.readModels.db(query.after, response);
    await assertPeriodVisible(db, cycleId, principal);
    return getScorecardChanges(db, cycleId, { since: query.since, ...(query.asAt ? { asAt: query.asAt } : {}) });
  }

  @Get('exceptions')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Highlight items: red figures and changes of status, with their commentary' })
  async exceptions(@Param('period') period: string, @Query() query: AsAtQueryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    const db = await this.readModels.db(query.after, response);
    await assertPeriodVisible(db, cycleId, principal);
    return { cycleId, items: await getExceptions(db, cycleId, query.asAt ? { asAt: query.asAt } : {}) };
  }
}
