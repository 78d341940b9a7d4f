import { readFileSync } from 'node:fs';
import { verifyEventLog, type AnchoringReport, type VerificationReport } from '@quarterly/event-store';
import type { QuarterlyEngine } from '@quarterly/platform';

/** `verify` was called with arguments it does not understand. */
export class VerifyArgumentsError extends Error {
  override readonly name = 'VerifyArgumentsError';
}

export interface VerifyArguments {
  /** Check this stream only (`--stream <id>`). */
  readonly streamId?: string;
  /** The auditors' digest file to hold the anchors against (`--digest <file>`). */
  readonly digestFile?: string;
}

export function parseVerifyArguments(args: readonly string[]): VerifyArguments {
  let streamId: string | undefined;
  let digestFile: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    if ((flag === '--stream' || flag === '--digest') && value !== undefined && !value.startsWith('--')) {
      if (flag === '--stream') streamId = value;
      else digestFile = value;
      i += 1;
    } else {
      throw new VerifyArgumentsError(`verify takes --stream <stream id> and --digest <file>; got ${flag}`);
    }
  }
  return { ...(streamId !== undefined ? { streamId } : {}), ...(digestFile !== undefined ? { digestFile } : {}) };
}

/** Checks the store's hashes, chains and anchors; the one-line summary names the first bad event. */
export async function verifyEventLogCommand(engine: QuarterlyEngine, args: VerifyArguments): Promise<{ report: VerificationReport; summary: string }> {
  const report = await verifyEventLog(engine.store, {
    ...(args.streamId !== undefined ? { streamId: args.streamId } : {}),
    ...(args.digestFile !== undefined ? { digest: readFileSync(args.digestFile, 'utf8') } : {}),
  });
  return { report, summary: summarise(report) };
}

export function summarise(report: VerificationReport): string {
  const checked =
    `${report.eventsChecked} events in ${report.streamsChecked} stream(s) (${report.scope}), ${report.anchorsChecked} anchor check(s), ` +
    `${report.unchainedEvents} stored before chaining began, ${report.unanchoredEvents} not yet anchored, in ${report.elapsedMs} ms`;
  if (report.ok) return `OK: ${checked}`;
  const first = report.firstProblem!;
  return `NOT VERIFIED: ${report.problems.length} problem(s) in ${checked}\nfirst: [${first.kind}] ${first.detail}`;
}

/**
 * Records anchors over everything stored since the last one. The first run on a store that
 * holds events from before chaining began is the one-off step of docs/deployment.md; the
 * summary says what it covered and how.
 */
export async function anchorCommand(engine: QuarterlyEngine): Promise<{ report: AnchoringReport; summary: string }> {
  const report = await engine.anchors.anchorPending();
  if (report.anchors.length === 0) return { report, summary: 'nothing to anchor: every event is already covered by an anchor' };
  const first = report.anchors[0]!;
  const last = report.anchors[report.anchors.length - 1]!;
  const events = report.anchors.reduce((sum, anchor) => sum + anchor.eventCount, 0);
  const unchained = report.anchors.reduce((sum, anchor) => sum + anchor.unchainedEventCount, 0);
  const lines = [
    `anchored ${events} event(s), positions ${first.afterPosition ?? 'start'}..${last.throughPosition}, in ${report.anchors.length} anchor(s) (${first.sequence}..${last.sequence}).`,
    unchained > 0
      ? `${unchained} of them were stored before hash chaining began: their hashes were computed now from their content as it stands ` +
        'today, so these anchors vouch for them from now on, not for what they were when first written.'
      : 'every one of them was hash-chained when it was appended.',
    "Keep these lines in the auditors' digest (outside this system):",
    ...report.digestLines,
  ];
  return { report, summary: lines.join('\n') };
}
