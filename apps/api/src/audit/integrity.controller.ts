import { BadRequestException, Controller, Get, Header, HttpCode, NotFoundException, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { assertKpiId } from '@quarterly/domain';
import { anchorDigestLine, anchorOf, INTEGRITY_ANCHOR_STREAM, verifyEventLog } from '@quarterly/event-store';
import { buildEvidencePack, Clock, QuarterlyEngine, Roles, type EvidenceSubject } from '@quarterly/platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { periodIdFromPath } from '../shared/path-params';
import { ConsistencyQueryDto } from '../shared/query.dto';
import { type IntegrityVerification, IntegrityVerifications } from './integrity-verifications.service';
import { ReadModelsGateway } from '../shared/read-models.gateway';
import { AUDITORS } from './auditors';

class VerifyQueryDto {
  @ApiPropertyOptional({ example: 'return-ENV-01-2026-27-Q1', description: 'Check this stream only (default: everything).' })
  @IsOptional() @IsString() @MaxLength(200)
  stream?: string;
}

const LOCATION = { Location: { description: 'The status resource: /audit/integrity/verifications/{verificationId}', schema: { type: 'string' } } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What auditors check and take away: the verification of the stored events against their
 * hashes, chains and anchors; the digest of the anchors to keep outside the system; and
 * evidence packs they can verify offline with `quarterly verify-pack`.
 */
@ApiTags('Audit')
@ApiBearerAuth()
@Controller('audit')
export class IntegrityController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly readModels: ReadModelsGateway,
    private readonly clock: Clock,
    private readonly verifications: IntegrityVerifications,
  ) {}

  @Get('integrity')
  @Roles(...AUDITORS)
  @ApiOperation({
    summary: 'Check one stream (at once), or start a check of every stored event (in the background)',
    description:
      'With `stream`: 200 and the report; ok is false when anything does not match; firstProblem names the first event ' +
      'that does not. Without: the same as `POST /audit/integrity/verifications` (202 and the status resource to follow).',
  })
  @ApiOkResponse({ description: 'With `stream`: the verification report of that stream.' })
  @ApiAcceptedResponse({ description: 'Without `stream`: the whole-store verification started (or running).', headers: LOCATION })
  async verify(@Query() query: VerifyQueryDto, @Res({ passthrough: true }) response: Response) {
    if (query.stream !== undefined) return verifyEventLog(this.engine.store, { streamId: query.stream });
    return this.startVerification(response);
  }

  @Post('integrity/verifications')
  @Roles(...AUDITORS)
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a check of every stored event against its hash, its chain and the anchors (or join the one running)',
    description: 'Answers at once with the status resource (Location header); its report, once completed, names the first event that does not match.',
  })
  @ApiAcceptedResponse({ description: 'The verification started, or the one already running.', headers: LOCATION })
  async startWholeStoreVerification(@Res({ passthrough: true }) response: Response): Promise<IntegrityVerification> {
    return this.startVerification(response);
  }

  @Get('integrity/verifications/:verificationId')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'A whole-store check: running (with events checked so far), completed (with its report), or failed' })
  async verification(@Param('verificationId') verificationId: string): Promise<IntegrityVerification> {
    if (!UUID.test(verificationId)) throw new BadRequestException('verificationId must be the id a started verification answered with (a UUID)');
    const verification = this.verifications.get(verificationId);
    if (verification === undefined) throw new NotFoundException(`no verification ${verificationId} is known to this API instance`);
    return verification;
  }

  private startVerification(response: Response): IntegrityVerification {
    const { verification } = this.verifications.start();
    response.status(202).location(`/audit/integrity/verifications/${verification.id}`);
    return verification;
  }

  @Get('integrity/digest')
  @Roles(...AUDITORS)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: "The auditors' digest: one line per anchor (its Merkle root and hash), to keep outside the system" })
  async digest(): Promise<string> {
    const anchors = await this.engine.store.readStream(INTEGRITY_ANCHOR_STREAM);
    return anchors.map((event) => `${anchorDigestLine(anchorOf(event), event.metadata.integrity?.hash ?? '')}\n`).join('');
  }

  @Get('evidence-packs/kpis/:kpiId')
  @Roles(...AUDITORS)
  @ApiProduces('application/zip')
  @ApiOperation({ summary: "A KPI's evidence pack: its events with hashes, the anchors, its value history, its published scorecards" })
  async kpiPack(@Param('kpiId') kpiId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) response: Response) {
    assertKpiId(kpiId);
    return this.pack({ kind: 'kpi', kpiId }, query, response, `KPI ${kpiId} has no events`);
  }

  @Get('evidence-packs/cycles/:period')
  @Roles(...AUDITORS)
  @ApiProduces('application/zip')
  @ApiOperation({ summary: "A reporting cycle's evidence pack: its and its returns' events with hashes, the anchors, the history, the published scorecard" })
  async cyclePack(@Param('period') period: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) response: Response) {
    const cycleId = periodIdFromPath(period, 'period');
    return this.pack({ kind: 'cycle', cycleId }, query, response, `cycle ${cycleId} has no events`);
  }

  private async pack(subject: EvidenceSubject, query: ConsistencyQueryDto, response: Response, notFound: string): Promise<StreamableFile> {
    const db = await this.readModels.db(query.after, response);
    const pack = await buildEvidencePack(this.engine.store, db, subject, this.clock.now());
    if (pack === undefined) throw new NotFoundException(notFound);
    return new StreamableFile(pack.archive, { type: 'application/zip', disposition: `attachment; filename="${pack.fileName}"`, length: pack.archive.length });
  }
}
