import { Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PastFiguresImporter, pastFiguresTemplateCsv, pastFiguresTemplateXlsx, type PastFiguresReport } from '@quarterly/past-figures-import';
import { Clock, Public, type Principal } from '@quarterly/platform';
import { RegisterImporter, registerTemplateCsv, registerTemplateXlsx, type ImportReport } from '@quarterly/register-import';
import { ImportInterruptedError, type ImportRequest } from '@quarterly/spreadsheet-import';
import type { Response } from 'express';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { ImportUploadStore, UPLOAD_KEPT_SECONDS } from './import-upload.store';
import { IMPORT_KINDS, importReportView, isImportKind, type ImportKind } from './import-report.view-model';
import { XLSX_TYPE } from '../../register-imports/uploaded-file';

type UploadRequest = WebRequest & { file?: { originalname: string; buffer: Buffer; size: number }; uploadProblem?: string };


/**
 * The performance team's spreadsheet imports: the register and past figures, on one page each
 * (upload → the dry run's report → apply), calling the same use cases as the JSON API and the
 * command line (`RegisterImporter`, `PastFiguresImporter`). The file checked is kept (an hour, in
 * the session) so that "Import" applies exactly that file; nothing is written before it.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/imports')
export class ImportsPageController {
  constructor(
    private readonly registerImporter: RegisterImporter,
    private readonly figuresImporter: PastFiguresImporter,
    private readonly uploads: ImportUploadStore,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  @Get()
  index(@Req() request: WebRequest, @Res() response: Response): void {
    performanceTeamOnly(request.principal!);
    response.type('html').send(
      this.pages.render('imports/imports.njk', {
        ...this.layout(request),
        pageTitle: 'Imports',
        kinds: (Object.keys(IMPORT_KINDS) as ImportKind[]).map((kind) => ({ href: `/app/imports/${kind}`, ...IMPORT_KINDS[kind] })),
      }),
    );
  }

  @Get(':kind')
  upload(@Param('kind') kind: string, @Query('written') written: string | undefined, @Query('file') file: string | undefined, @Req() request: WebRequest, @Res() response: Response): void {
    performanceTeamOnly(request.principal!);
    const done = written !== undefined && /^\d+$/.test(written) && typeof file === 'string' ? `${file} imported: ${Number(written).toLocaleString('en-GB')} ${written === '1' ? 'entry' : 'entries'} added to the audit trail.` : null;
    this.renderUpload(request, response, kindOf(kind), 200, { confirmation: done });
  }

  @Get(':kind/template.:format')
  async template(@Param('kind') kind: string, @Param('format') format: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const which = kindOf(kind);
    const name = IMPORT_KINDS[which].templateName;
    if (format === 'xlsx') {
      response.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
      response.type(XLSX_TYPE).send(which === 'register' ? await registerTemplateXlsx() : await pastFiguresTemplateXlsx());
    } else if (format === 'csv') {
      response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      response.type('text/csv; charset=utf-8').send(which === 'register' ? registerTemplateCsv() : pastFiguresTemplateCsv());
    } else {
      throw new NotFoundException(`no ${format} template`);
    }
  }

  /** The dry run: the report, and (when nothing is refused) the button that imports the same file. */
  @Post(':kind')
  async dryRun(@Param('kind') kind: string, @Req() request: UploadRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const which = kindOf(kind);
    const file = request.file;
    if (request.uploadProblem || !file || file.size === 0) {
      return this.renderUpload(request, response, which, 400, { error: request.uploadProblem ?? (file ? 'The selected file is empty' : 'Select a spreadsheet file to check') });
    }
    const fileName = safeFileName(file.originalname);
    if (!/\.(xlsx|csv)$/i.test(fileName)) return this.renderUpload(request, response, which, 400, { error: 'The selected file must be an XLSX workbook or a CSV file' });
    const report = await this.importerOf(which).dryRun(this.requestOf(principal, fileName, file.buffer));
    const uploadId = report.problems.length === 0 ? await this.uploads.keep(request.webSession!.id, { kind: which, fileName, content: file.buffer }) : null;
    this.renderReport(request, response, which, 200, report, uploadId);
  }

  /** The apply of the file the dry run checked: all of it, or nothing. */
  @Post(':kind/apply')
  async apply(@Param('kind') kind: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const which = kindOf(kind);
    const uploadId = String((request.body as Record<string, unknown> | undefined)?.['uploadId'] ?? '');
    const kept = await this.uploads.find(request.webSession!.id, uploadId);
    if (!kept || kept.kind !== which) {
      return this.renderUpload(request, response, which, 400, { error: `The file checked is no longer kept (files are kept for ${UPLOAD_KEPT_SECONDS / 60} minutes): choose it again` });
    }
    let report: ImportReport | PastFiguresReport;
    try {
      report = await this.importerOf(which).apply(this.requestOf(principal, kept.fileName, kept.content));
    } catch (error) {
      if (!(error instanceof ImportInterruptedError)) throw error;
      return this.renderUpload(request, response, which, 409, {
        error: `Someone changed ${error.streamId} while the file was imported (${error.written} of ${error.total} written). Check the file again and import it: what is written already is not repeated.`,
      });
    }
    if (!report.applied) {
      // The store changed since the dry run (a cycle opened, a figure imported): the same report, refused.
      const conflict = report.problems.some((p) => 'currentState' in p && p.currentState !== undefined);
      return this.renderReport(request, response, which, conflict ? 409 : 400, report, null);
    }
    await this.uploads.forget(request.webSession!.id, uploadId);
    response.redirect(303, `/app/imports/${which}?written=${report.eventsAppended}&file=${encodeURIComponent(kept.fileName)}`);
  }

  private importerOf(kind: ImportKind): { dryRun(request: ImportRequest): Promise<ImportReport | PastFiguresReport>; apply(request: ImportRequest): Promise<ImportReport | PastFiguresReport> } {
    return kind === 'register' ? this.registerImporter : this.figuresImporter;
  }

  private requestOf(principal: Principal, fileName: string, content: Buffer): ImportRequest {
    return { fileName, content, context: { actor: principal.id, roles: principal.roles, now: this.clock.now().toISOString() } };
  }

  private renderUpload(request: WebRequest, response: Response, kind: ImportKind, status: number, extra: { error?: string; confirmation?: string | null }): void {
    response.status(status).type('html').send(
      this.pages.render('imports/import-upload.njk', {
        ...this.layout(request),
        pageTitle: IMPORT_KINDS[kind].title,
        kind,
        ...IMPORT_KINDS[kind],
        action: `/app/imports/${kind}`,
        templates: { xlsx: `/app/imports/${kind}/template.xlsx`, csv: `/app/imports/${kind}/template.csv` },
        error: extra.error ?? null,
        confirmation: extra.confirmation ?? null,
      }),
    );
  }

  private renderReport(request: WebRequest, response: Response, kind: ImportKind, status: number, report: ImportReport | PastFiguresReport, uploadId: string | null): void {
    const view = importReportView(kind, report);
    response.status(status).type('html').send(
      this.pages.render('imports/import-report.njk', {
        ...this.layout(request),
        pageTitle: `${IMPORT_KINDS[kind].title}: check`,
        kind,
        title: IMPORT_KINDS[kind].title,
        report: view,
        refusedOnApply: report.mode === 'apply',
        uploadId,
        applyAction: `/app/imports/${kind}/apply`,
        againHref: `/app/imports/${kind}`,
      }),
    );
  }

  private layout(request: WebRequest) {
    return { section: 'imports', principal: layoutPrincipalOf(request.principal!), csrfToken: request.webSession!.csrfToken };
  }
}

function performanceTeamOnly(principal: Principal): Principal {
  if (!principal.roles.includes('performance-team')) throw new ForbiddenException('only the performance team imports spreadsheets');
  return principal;
}

function kindOf(kind: string): ImportKind {
  if (!isImportKind(kind)) throw new NotFoundException(`no import ${kind}`);
  return kind;
}

/** The file's own name, without a path (some browsers send one), as the events record it. */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f]/g, '').slice(0, 200) || 'upload';
}
