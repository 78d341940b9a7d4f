import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { returnIdOf } from '@quarterly/domain';
import { Roles } from '@quarterly/platform';
import { getAuditTrail, getReturnStatus, getReturnValueHistory } from '@quarterly/read-models';
import type { Response } from 'express';
import { auditView } from '../shared/audit.view';
import { periodIdFromPath } from '../shared/path-params';
import { AsAtQueryDto, ConsistencyQueryDto } from '../shared/query.dto';
import { ReadModelsGateway } from '../shared/read-models.gateway';

@ApiTags('Returns')
@ApiBearerAuth()
@Controller('returns/:kpiId/:period')
export class ReturnQueriesController {
  constructor(private readonly readModels: ReadModelsGateway) {}

  @Get('history')
  @Roles('performance-team', 'service-lead', 'dmt', 'clt', 'auditor')
  @ApiOperation({ summary: 'Every value reported on this return, with who, when and why (as at any instant)' })
  async history(@Param('kpiId') kpiId: string, @Param('period') period: string, @Query() query: AsAtQueryDto, @Res({ passthrough: true }) response: Response) {
    const returnId = returnIdOf(kpiId, periodIdFromPath(period, 'period'));
    const db = await this.readModels.db(query.after, response);
    if (!(await getReturnStatus(db, returnId, new Date()))) throw new NotFoundException(`no return ${returnId} was requested`);
    const entries = await getReturnValueHistory(db, returnId, query.asAt);
    return { returnId, asAt: query.asAt ?? null, entries: entries.map((entry) => ({ ...entry, position: String(entry.position) })) };
  }

  @Get('audit')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: "The return's audit trail: every event, with actor, time and correlation" })
  async audit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) response: Response) {
    const returnId = returnIdOf(kpiId, periodIdFromPath(period, 'period'));
    const db = await this.readModels.db(query.after, response);
    if (!(await getReturnStatus(db, returnId, new Date()))) throw new NotFoundException(`no return ${returnId} was requested`);
    return auditView(await getAuditTrail(db, { returnId }, { limit: 10_000 }));
  }
}
