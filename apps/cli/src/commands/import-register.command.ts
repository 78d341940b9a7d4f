import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { personDecider, personStreamId } from '@quarterly/domain';
import type { QuarterlyEngine } from '@quarterly/platform';
import { ImportInterruptedError, RegisterImporter, type ImportProgress, type ImportReport, type ImportRequest } from '@quarterly/register-import';

export class ImportRegisterArgumentsError extends Error {
  override readonly name = 'ImportRegisterArgumentsError';
}

/** The importing person cannot import (unknown, deactivated, or not in the performance team). */
export class CannotImportError extends Error {
  override readonly name = 'CannotImportError';
}

export const IMPORT_REGISTER_USAGE = `  quarterly import-register <file.xlsx|file.csv> --as <personId> [--apply]
                                             check a register file (a dry run: row, column and
                                             problem for every refused row, and a summary), or
                                             with --apply import it as the events of <personId>,
                                             a performance-team member; nothing is written when
                                             any row is refused (exit 2)
`;

export interface ImportRegisterRequest {
  readonly path: string;
  readonly as: string;
  readonly apply: boolean;
}

export function parseImportRegisterArguments(args: readonly string[]): ImportRegisterRequest {
  return parseImportArguments('import-register', args);
}

/** `<file> --as <personId> [--apply]`, the arguments of every import command. */
export function parseImportArguments(command: string, args: readonly string[]): ImportRegisterRequest {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { as: { type: 'string' }, apply: { type: 'boolean' } } });
  } catch (error) {
    throw new ImportRegisterArgumentsError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== 1) throw new ImportRegisterArgumentsError(`${command} needs exactly one file`);
  if (!parsed.values.as) throw new ImportRegisterArgumentsError(`${command} needs --as <personId>: the performance-team member the events are attributed to`);
  return { path: parsed.positionals[0]!, as: parsed.values.as, apply: parsed.values.apply ?? false };
}

/**
 * The file and the importing person's request for an importer: the person as the directory holds
 * them now (active, in the performance team), progress printed to `progressOut`.
 */
export async function importRequestFor(
  engine: QuarterlyEngine,
  request: ImportRegisterRequest,
  now: Date,
  progressOut: NodeJS.WritableStream,
  progressEvery: number,
): Promise<ImportRequest> {
  const { state } = await engine.executor.load(personStreamId(request.as), personDecider);
  if (state.status !== 'active') throw new CannotImportError(`${request.as} is not an active person in the directory`);
  if (!state.person.roles.includes('performance-team')) throw new CannotImportError(`${request.as} is not in the performance team`);
  let content: Buffer;
  try {
    content = readFileSync(request.path);
  } catch (error) {
    throw new ImportRegisterArgumentsError(`cannot read ${request.path}: ${(error as Error).message}`);
  }
  const onProgress = (progress: ImportProgress) => {
    if (progress.phase === 'applying' && progress.done % progressEvery !== 0) return;
    progressOut.write(`${progress.phase}${progress.total > 0 ? ` ${progress.done}/${progress.total}` : ''}\n`);
  };
  return {
    fileName: basename(request.path),
    content,
    context: { actor: state.person.personId, roles: state.person.roles, now: now.toISOString() },
    onProgress,
  };
}

/**
 * Runs the register import as a person in the directory (their current roles, from their own
 * stream), printing progress to `progressOut`. The same use case as `POST /register-imports`.
 */
export async function importRegister(
  engine: QuarterlyEngine,
  request: ImportRegisterRequest,
  now: Date,
  progressOut: NodeJS.WritableStream = process.stderr,
): Promise<ImportReport> {
  const importRequest = await importRequestFor(engine, request, now, progressOut, 50);
  const importer = new RegisterImporter(engine);
  try {
    return request.apply ? await importer.apply(importRequest) : await importer.dryRun(importRequest);
  } catch (error) {
    if (error instanceof ImportInterruptedError) throw new CannotImportError(error.message);
    throw error;
  }
}

/** The report as people read it: the summary, then one line per problem. */
export function formatImportReport(report: ImportReport): string {
  const { summary } = report;
  const lines = [
    `${report.fileName} (sha256 ${report.sha256})`,
    `${summary.new} new, ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.refused} refused`,
    ...report.problems.map((p) => `  ${p.sheet}${p.row === null ? '' : ` row ${p.row}`}${p.column === null ? '' : `, ${p.column}`}: ${p.problem}`),
    report.mode === 'dry-run'
      ? 'dry run: nothing was written'
      : report.applied
        ? `applied: ${report.eventsAppended} events written`
        : 'refused: nothing was written',
  ];
  return `${lines.join('\n')}\n`;
}
