import { Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Clock, commandEnvelopeFrom, CurrentPrincipal, Roles, type Principal } from '@quarterly/platform';
import {
  ImportInterruptedError,
  RegisterImporter,
  registerTargetsTemplateCsv,
  registerTemplateCsv,
  registerTemplateXlsx,
  type ImportReport,
} from '@quarterly/register-import';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { commandContextOf } from '@quarterly/application';
import { RegisterImportInterruptedError, RegisterImportRefusedError } from './register-import.errors';
import { QueuedRegisterImports } from './queued-register-imports';
import { IMPORT_FILE_BODY, IMPORT_FILE_NAME, readUploadedFile, REGISTER_FILE_TYPES, XLSX_TYPE } from './uploaded-file';

class RegisterImportQueryDto {
  @ApiProperty({ example: 'register-2026-27.xlsx', description: "The file's name, kept in the events' reason with its digest." })
  @IsString() @MaxLength(200) @Matches(IMPORT_FILE_NAME, { message: 'must be a file name ending .xlsx or .csv' })
  fileName!: string;
}

class RegisterImportJobQueryDto extends RegisterImportQueryDto {
  @ApiProperty({ enum: ['dry-run', 'apply'], required: false, description: 'dry-run (default) or apply.' })
  @IsOptional() @IsIn(['dry-run', 'apply'])
  mode?: 'dry-run' | 'apply';
}

/**
 * The register import: the template, a dry run that reports row by row, and the apply. The use
 * case is `RegisterImporter`, which the command line calls too.
 */
@ApiTags('Register import')
@ApiBearerAuth()
@Controller('register-imports')
export class RegisterImportsController {
  constructor(
    private readonly importer: RegisterImporter,
    private readonly queued: QueuedRegisterImports,
    private readonly clock: Clock,
  ) {}

  @Get('template.xlsx')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'The register template as an XLSX workbook (KPIs, People, Targets, and what each column holds)' })
  async templateXlsx(@Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    response.setHeader('Content-Disposition', 'attachment; filename="quarterly-register-template.xlsx"');
    return new StreamableFile(await registerTemplateXlsx(), { type: XLSX_TYPE });
  }

  @Get('template.csv')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'The register template as CSV (the KPI sheet only)' })
  templateCsv(@Res({ passthrough: true }) response: Response): StreamableFile {
    response.setHeader('Content-Disposition', 'attachment; filename="quarterly-register-template.csv"');
    return new StreamableFile(Buffer.from(registerTemplateCsv(), 'utf8'), { type: 'text/csv; charset=utf-8' });
  }

  @Get('template-targets.csv')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'The targets template as CSV: one row per KPI × financial year × period (the Targets sheet)' })
  templateTargetsCsv(@Res({ passthrough: true }) response: Response): StreamableFile {
    response.setHeader('Content-Disposition', 'attachment; filename="quarterly-targets-template.csv"');
    return new StreamableFile(Buffer.from(registerTargetsTemplateCsv(), 'utf8'), { type: 'text/csv; charset=utf-8' });
  }

  @Post('dry-run')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Check a register file: every row new, changed, unchanged or refused (row, column, problem); nothing is written' })
  @ApiConsumes(...REGISTER_FILE_TYPES)
  @ApiBody(IMPORT_FILE_BODY)
  async dryRun(@Query() query: RegisterImportQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<ImportReport> {
    const content = await readUploadedFile(request);
    const envelope = commandEnvelopeFrom(request, this.clock);
    return this.importer.dryRun({ fileName: query.fileName, content, context: commandContextOf({ principal, envelope }) });
  }

  @Post()
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({
    summary: 'Import a register file: all its changes as the usual KPI and person events, or none when any row is refused (400 with the report)',
  })
  @ApiConsumes(...REGISTER_FILE_TYPES)
  @ApiBody(IMPORT_FILE_BODY)
  async apply(@Query() query: RegisterImportQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<ImportReport> {
    const content = await readUploadedFile(request);
    const envelope = commandEnvelopeFrom(request, this.clock);
    let report: ImportReport;
    try {
      report = await this.importer.apply({ fileName: query.fileName, content, context: commandContextOf({ principal, envelope }) });
    } catch (error) {
      if (error instanceof ImportInterruptedError) throw new RegisterImportInterruptedError(error);
      throw error;
    }
    if (!report.applied) throw new RegisterImportRefusedError(report);
    return report;
  }

  @Post('jobs')
  @HttpCode(202)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Queue a dry run or an apply of a large register file; follow it at the Location given' })
  @ApiConsumes(...REGISTER_FILE_TYPES)
  @ApiBody(IMPORT_FILE_BODY)
  async enqueue(@Query() query: RegisterImportJobQueryDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const queue = this.queued.queue;
    const content = await readUploadedFile(request);
    const envelope = commandEnvelopeFrom(request, this.clock);
    const id = await queue.enqueue({ fileName: query.fileName, content, context: commandContextOf({ principal, envelope }), mode: query.mode ?? 'dry-run' });
    response.setHeader('Location', `/register-imports/jobs/${id}`);
    return queue.status(id);
  }

  @Get('jobs/:jobId')
  @Roles('performance-team')
  @ApiOperation({ summary: 'A queued import: its state, progress (phase, KPIs and people written of all) and, once done, its report' })
  async job(@Param('jobId', new ParseUUIDPipe()) jobId: string) {
    const status = await this.queued.queue.status(jobId);
    if (!status) throw new NotFoundException(`no register import job ${jobId} (finished jobs are kept for a day)`);
    return status;
  }
}
