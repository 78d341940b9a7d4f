import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { returnIdOf } from '@quarterly/domain';
import { CurrentPrincipal, Roles, type Principal } from '@quarterly/platform';
import { getAuditTrail, getReturnStatus, getReturnValueHistory } from '@quarterly/read-models';
import type { Request, Response } from 'express';
import { auditView } from '../shared/audit.view';
import { AsAtCursorPageQueryDto, CursorPageQueryDto, cursorPageOf, MAX_PAGE_ROWS, nextCursorOf } from '../shared/cursor-page';
import { periodIdFromPath } from '../shared/path-params';
import { assertPeriodVisible } from '../shared/published-cycles';
import { ReadModelsGateway } from '../shared/read-models.gateway';

@ApiTags('Returns')
@ApiBearerAuth()
@Controller('returns/:kpiId/:period')
export class ReturnQueriesController {
  constructor(private readonly readModels: ReadModelsGateway) {}

  @Get('history')
  @Roles('performance-team', 'service-lead', 'dmt', 'clt', 'auditor', 'member')
  @ApiOperation({
    summary: 'Every value reported on this return, with who, when and why (as at any instant)',
    description: 'Members (councillors) read it once the period is published. With limit (1–10000), a page; nextCursor names the next.',
  })
  async history(
    @Param('kpiId') kpiId: string,
    @Param('period') period: string,
    @Query() query: AsAtCursorPageQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const cycleId = periodIdFromPath(period, 'period');
    const returnId = returnIdOf(kpiId, cycleId);
    const db = await this.readModels.db(query.after, response);
    if (!(await getReturnStatus(db, returnId, new Date()))) throw new NotFoundException(`no return ${returnId} was requested`);
    await assertPeriodVisible(db, cycleId, principal);
    const page = cursorPageOf(query);
    const entries = await getReturnValueHistory(db, returnId, query.asAt, page);
    const nextCursor = nextCursorOf(entries, page, request, response);
    return { returnId, asAt: query.asAt ?? null, entries: entries.map((entry) => ({ ...entry, position: String(entry.position) })), nextCursor };
  }

  @Get('audit')
  @Roles('performance-team', 'auditor')
  @ApiOperation({
    summary: "The return's audit trail: every event, with actor, time and correlation",
    description: 'Pages of at most 10000 events (limit); nextCursor (and a Link rel="next" header) names the next page while there may be more.',
  })
  async audit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Query() query: CursorPageQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const returnId = returnIdOf(kpiId, periodIdFromPath(period, 'period'));
    const db = await this.readModels.db(query.after, response);
    if (!(await getReturnStatus(db, returnId, new Date()))) throw new NotFoundException(`no return ${returnId} was requested`);
    const page = cursorPageOf(query, MAX_PAGE_ROWS);
    const entries = await getAuditTrail(db, { returnId }, page);
    return { ...auditView(entries), nextCursor: nextCursorOf(entries, page, request, response) };
  }
}
