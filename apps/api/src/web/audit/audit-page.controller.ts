import { Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { assertKpiId } from '@quarterly/domain';
import { anchorDigestLine, anchorOf, INTEGRITY_ANCHOR_STREAM } from '@quarterly/event-store';
import { buildEvidencePack, Clock, Public, QuarterlyEngine, type EvidenceSubject } from '@quarterly/platform';
import { isPublishedCycle, listCycles } from '@quarterly/read-models';
import type { Response } from 'express';
import { isAuditor } from '../../audit/auditors';
import { IntegrityVerifications } from '../../audit/integrity-verifications.service';
import { attachmentHeader } from '../../scorecards/export/export-file-name';
import { periodIdFromPath } from '../../shared/path-params';
import { PageRenderer } from '../shared/page-renderer';
import { periodPathOf } from '../shared/return-paths';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { verificationView } from './audit-page.view-model';

/** Where each KPI's and each quarter's evidence pack is downloaded from the pages. */
export function kpiEvidencePackPath(kpiId: string): string {
  return `/app/audit/evidence-packs/kpis/${encodeURIComponent(kpiId)}`;
}
export function cycleEvidencePackPath(cycleId: string): string {
  return `/app/audit/evidence-packs/cycles/${periodPathOf(cycleId)}`;
}

/**
 * The auditors' page: check every stored event against its hash, its stream's chain and the
 * anchors (in the background, as `POST /audit/integrity/verifications` does, sharing its runs),
 * download the auditors' digest to keep outside Quarterly, and download evidence packs of a KPI
 * or a quarter to verify offline with `quarterly verify-pack`. Auditors and the performance team.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/audit')
export class AuditPageController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
    private readonly verifications: IntegrityVerifications,
  ) {}

  @Get()
  async show(@Query('kpiId') kpiIdAsked: unknown, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    authorised(request);
    // The evidence pack form (a GET, so that it works without JavaScript): a known KPI's pack.
    if (typeof kpiIdAsked === 'string' && kpiIdAsked.trim() !== '') {
      const kpiId = kpiIdAsked.trim();
      try {
        assertKpiId(kpiId);
      } catch {
        await this.render(request, response.status(400), { kpiError: `"${kpiId}" is not a KPI reference: letters, digits, . _ - like ENV-01`, kpiId });
        return;
      }
      response.redirect(303, kpiEvidencePackPath(kpiId));
      return;
    }
    await this.render(request, response, {});
  }

  @Post('verifications')
  async startVerification(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    authorised(request);
    this.verifications.start();
    response.redirect(303, '/app/audit#check');
  }

  @Get('digest')
  async digest(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    authorised(request);
    const anchors = await this.engine.store.readStream(INTEGRITY_ANCHOR_STREAM);
    const text = anchors.map((event) => `${anchorDigestLine(anchorOf(event), event.metadata.integrity?.hash ?? '')}\n`).join('');
    const stamp = this.clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    response.setHeader('Content-Disposition', attachmentHeader(`quarterly-auditors-digest-${stamp}.txt`));
    response.type('text/plain; charset=utf-8').send(text);
  }

  @Get('evidence-packs/kpis/:kpiId')
  async kpiPack(@Param('kpiId') kpiId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    authorised(request);
    assertKpiId(kpiId);
    await this.sendPack({ kind: 'kpi', kpiId }, response, `KPI ${kpiId} has no events`);
  }

  @Get('evidence-packs/cycles/:period')
  async cyclePack(@Param('period') period: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    authorised(request);
    const cycleId = periodIdFromPath(period, 'period');
    await this.sendPack({ kind: 'cycle', cycleId }, response, `the quarter ${cycleId} has no events`);
  }

  private async sendPack(subject: EvidenceSubject, response: Response, notFound: string): Promise<void> {
    const pack = await buildEvidencePack(this.engine.store, this.engine.readModels.db, subject, this.clock.now());
    if (pack === undefined) throw new NotFoundException(notFound);
    response.setHeader('Content-Disposition', attachmentHeader(pack.fileName));
    response.type('application/zip').send(pack.archive);
  }

  private async render(request: WebRequest, response: Response, form: { kpiError?: string; kpiId?: string }): Promise<void> {
    const cycles = await listCycles(this.engine.readModels.db);
    response.type('html').send(
      this.pages.render('audit/audit.njk', {
        pageTitle: form.kpiError !== undefined ? 'Error: Audit' : 'Audit',
        section: 'audit',
        principal: layoutPrincipalOf(request.principal!),
        csrfToken: request.webSession!.csrfToken,
        verification: verificationView(this.verifications.latest()),
        cycles: cycles.map((cycle) => ({ cycleId: cycle.cycleId, published: isPublishedCycle(cycle), state: cycle.state, href: cycleEvidencePackPath(cycle.cycleId) })),
        form,
      }),
    );
  }
}

function authorised(request: WebRequest): void {
  if (!isAuditor(request.principal!.roles)) throw new ForbiddenException('the audit page is for auditors and the performance team');
}
