import { Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { commandContextOf } from '@quarterly/application';
import { PastFiguresImporter, pastFiguresTemplateCsv, pastFiguresTemplateXlsx, type PastFiguresReport } from '@quarterly/past-figures-import';
import { Clock, commandEnvelopeFrom, CurrentPrincipal, Roles, type Principal } from '@quarterly/platform';
import { ImportInterruptedError } from '@quarterly/spreadsheet-import';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { RegisterImportInterruptedError } from '../register-imports/register-import.errors';
import { QueuedPastFiguresImports } from '../register-imports/queued-register-imports';
import { IMPORT_FILE_BODY, IMPORT_FILE_NAME, readUploadedFile, REGISTER_FILE_TYPES, XLSX_TYPE } from '../register-imports/uploaded-file';
import { PastFiguresImportConflictError, PastFiguresImportRefusedError } from './past-figures-import.errors';

class PastFiguresImportQueryDto {
  @ApiProperty({ example: 'published-figures-2021-2026.xlsx', description: "The file's name, recorded with its digest in every imported figure." })
  @IsString() @MaxLength(200) @Matches(IMPORT_FILE_NAME, { message: 'must be a file name ending .xlsx or .csv' })
  fileName!: string;
}

class PastFiguresImportJobQueryDto extends PastFiguresImportQueryDto {
  @ApiProperty({ enum: ['dry-run', 'apply'], required: false, description: 'dry-run (default) or apply.' })
  @IsOptional() @IsIn(['dry-run', 'apply'])
  mode?: 'dry-run' | 'apply';
}

/**
 * The past-figures import (figures a council published before it used Quarterly): the template, a
 * dry run that reports row by row, the apply, and queued jobs for large files. The use case is
 * `PastFiguresImporter`, which the command line and the page call too.
 */
@ApiTags('Past figures import')
@ApiBearerAuth()
@Controller('past-figures-imports')
export class PastFiguresImportsController {
  constructor(
    private readonly importer: PastFiguresImporter,
    private readonly queued: QueuedPastFiguresImports,
    private readonly clock: Clock,
  ) {}

  @Get('template.xlsx')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'The past-figures template as an XLSX workbook (Figures, and what each column holds)' })
  async templateXlsx(@Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    response.setHeader('Content-Disposition', 'attachment; filename="quarterly-past-figures-template.xlsx"');
    return new StreamableFile(await pastFiguresTemplateXlsx(), { type: XLSX_TYPE });
  }

  @Get('template.csv')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'The past-figures template as CSV' })
  templateCsv(@Res({ passthrough: true }) response: Response): StreamableFile {
    response.setHeader('Content-Disposition', 'attachment; filename="quarterly-past-figures-template.csv"');
    return new StreamableFile(Buffer.from(pastFiguresTemplateCsv(), 'utf8'), { type: 'text/csv; charset=utf-8' });
  }

  @Post('dry-run')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({
    summary: 'Check a past-figures file: every row new, unchanged or refused (row, column, problem), its rating by the engine and where that differs from the printed one; nothing is written',
  })
  @ApiConsumes(...REGISTER_FILE_TYPES)
  @ApiBody(IMPORT_FILE_BODY)
  async dryRun(@Query() query: PastFiguresImportQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<PastFiguresReport> {
    const content = await readUploadedFile(request);
    const envelope = commandEnvelopeFrom(request, this.clock);
    return this.importer.dryRun({ fileName: query.fileName, content, context: commandContextOf({ principal, envelope }) });
  }

  @Post()
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({
    summary:
      'Import a past-figures file: every figure as imported (never approved by a person), or none when any row is refused (400 with the report; 409 naming the state of a live cycle or a figure imported already)',
  })
  @ApiConsumes(...REGISTER_FILE_TYPES)
  @ApiBody(IMPORT_FILE_BODY)
  async apply(@Query() query: PastFiguresImportQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<PastFiguresReport> {
    const content = await readUploadedFile(request);
    const envelope = commandEnvelopeFrom(request, this.clock);
    let report: PastFiguresReport;
    try {
      report = await this.importer.apply({ fileName: query.fileName, content, context: commandContextOf({ principal, envelope }) });
    } catch (error) {
      if (error instanceof ImportInterruptedError) throw new RegisterImportInterruptedError(error);
      throw error;
    }
    if (!report.applied) {
      const conflict = report.problems.find((p) => p.currentState !== undefined);
      if (conflict) throw new PastFiguresImportConflictError(report, { row: conflict.row, currentState: conflict.currentState!, problem: conflict.problem });
      throw new PastFiguresImportRefusedError(report);
    }
    return report;
  }

  @Post('jobs')
  @HttpCode(202)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Queue a dry run or an apply of a large past-figures file; follow it at the Location given' })
  @ApiConsumes(...REGISTER_FILE_TYPES)
  @ApiBody(IMPORT_FILE_BODY)
  async enqueue(@Query() query: PastFiguresImportJobQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const queue = this.queued.queue;
    const content = await readUploadedFile(request);
    const envelope = commandEnvelopeFrom(request, this.clock);
    const id = await queue.enqueue({ fileName: query.fileName, content, context: commandContextOf({ principal, envelope }), mode: query.mode ?? 'dry-run' });
    response.setHeader('Location', `/past-figures-imports/jobs/${id}`);
    return queue.status(id);
  }

  @Get('jobs/:jobId')
  @Roles('performance-team')
  @ApiOperation({ summary: 'A queued past-figures import: its state, progress (phase, streams written of all) and, once done, its report' })
  async job(@Param('jobId', new ParseUUIDPipe()) jobId: string) {
    const status = await this.queued.queue.status(jobId);
    if (!status) throw new NotFoundException(`no past-figures import job ${jobId} (finished jobs are kept for a day)`);
    return status;
  }
}
