import { readFileSync } from 'node:fs';
import { verifyEvidencePack, type PackVerification } from '@quarterly/platform';

/** `verify-pack` was called without a pack, or with arguments it does not understand. */
export class VerifyPackArgumentsError extends Error {
  override readonly name = 'VerifyPackArgumentsError';
}

/**
 * Checks an evidence pack offline: no configuration, no database, no network; only the file
 * (and the auditors' digest, if given). The summary names the first thing that does not match.
 */
export async function verifyPackCommand(args: readonly string[]): Promise<{ report: PackVerification; summary: string }> {
  const [file, ...rest] = args;
  if (file === undefined || file.startsWith('--')) throw new VerifyPackArgumentsError('verify-pack needs the path of an evidence pack (.zip)');
  let digest: string | undefined;
  if (rest.length > 0) {
    if (rest[0] !== '--digest' || rest[1] === undefined || rest.length > 2) throw new VerifyPackArgumentsError('verify-pack takes one option: --digest <file>');
    digest = readFileSync(rest[1], 'utf8');
  }
  const report = await verifyEvidencePack(readFileSync(file), digest !== undefined ? { digest } : {});
  const counts = `${report.eventsChecked} events in ${report.streamsChecked} stream(s), ${report.anchorsChecked} anchor check(s), ${report.unanchoredEvents} not yet anchored`;
  const summary = report.ok
    ? `OK: ${file}: ${counts}`
    : `REFUSED: ${file}: ${report.problems.length} problem(s) in ${counts}\nfirst: [${report.firstProblem!.kind}] ${report.firstProblem!.file}: ${report.firstProblem!.detail}`;
  return { report, summary };
}
