import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { assertKpiId, parseReportingPeriod } from '@quarterly/domain';
import { CurrentPrincipal, Roles, type Principal } from '@quarterly/platform';
import { getAuditTrail, getKpi, getValueHistory, listKpis } from '@quarterly/read-models';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { AsAtCursorPageQueryDto, CursorPageQueryDto, cursorPageOf, MAX_PAGE_ROWS, nextCursorOf } from '../shared/cursor-page';
import { visibleCyclesFor } from '../shared/published-cycles';
import { ConsistencyQueryDto } from '../shared/query.dto';
import { ReadModelsGateway } from '../shared/read-models.gateway';
import { auditView } from '../shared/audit.view';

class ListKpisQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString()
  directorate?: string;

  @ApiPropertyOptional({ description: 'KPIs this person owns or is a key contact for.' }) @IsOptional() @IsString()
  person?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false'])
  includeRetired?: 'true' | 'false';
}

class KpiHistoryQueryDto extends AsAtCursorPageQueryDto {
  @ApiPropertyOptional({ example: '2024/25-Q2', description: 'Only this reporting period.' }) @IsOptional() @IsString()
  period?: string;
}

const STAFF = ['performance-team', 'service-lead', 'dmt', 'clt', 'auditor'] as const;

@ApiTags('KPI register')
@ApiBearerAuth()
@Controller('kpis')
export class KpiQueriesController {
  constructor(private readonly readModels: ReadModelsGateway) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The KPI register, with targets per financial year' })
  async list(@Query() query: ListKpisQueryDto, @Res({ passthrough: true }) response: Response) {
    const db = await this.readModels.db(query.after, response);
    return listKpis(db, {
      includeRetired: query.includeRetired === 'true',
      ...(query.directorate !== undefined ? { directorate: query.directorate } : {}),
      ...(query.person !== undefined ? { person: query.person } : {}),
    });
  }

  @Get(':kpiId/history')
  @Roles(...STAFF, 'member')
  @ApiOperation({
    summary: 'Every value reported for the KPI — who, when, why — as at any instant',
    description:
      'Members (councillors) read the values of published (closed) periods only. Without limit the whole history comes at once, ' +
      'as before; with limit (1–10000) a page, and nextCursor (also a Link rel="next" header) names the next one.',
  })
  async history(@Param('kpiId') kpiId: string, @Query() query: KpiHistoryQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    assertKpiId(kpiId);
    if (query.period !== undefined) parseReportingPeriod(query.period, 'period');
    const db = await this.readModels.db(query.after, response);
    if (!(await getKpi(db, kpiId))) throw new NotFoundException(`KPI ${kpiId} is not defined`);
    const cycles = await visibleCyclesFor(db, principal);
    const page = cursorPageOf(query);
    const entries = await getValueHistory(db, {
      kpiId,
      ...(query.period !== undefined ? { periodCovered: query.period } : {}),
      ...(query.asAt !== undefined ? { asAt: query.asAt } : {}),
      ...(cycles !== undefined ? { cycles } : {}),
      ...page,
    });
    const nextCursor = nextCursorOf(entries, page, request, response);
    return { kpiId, asAt: query.asAt ?? null, entries: entries.map((entry) => ({ ...entry, position: String(entry.position) })), nextCursor };
  }

  @Get(':kpiId/audit')
  @Roles('performance-team', 'auditor')
  @ApiOperation({
    summary: "The KPI's audit trail: its register entry and every event of its returns",
    description: 'Pages of at most 10000 events (limit); nextCursor (and a Link rel="next" header) names the next page while there may be more.',
  })
  async audit(@Param('kpiId') kpiId: string, @Query() query: CursorPageQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    assertKpiId(kpiId);
    const db = await this.readModels.db(query.after, response);
    const page = cursorPageOf(query, MAX_PAGE_ROWS);
    const entries = await getAuditTrail(db, { kpiId }, page);
    return { ...auditView(entries), nextCursor: nextCursorOf(entries, page, request, response) };
  }
}
