import type { IntegrityProblem, IntegrityProblemKind } from '@quarterly/event-store';
import type { IntegrityVerification } from '../../audit/integrity-verifications.service';
import { asAtInWords } from '../../scorecards/as-at-instant';

/** What each kind of problem means, in words for an auditor. */
const PROBLEM_WORDS: Readonly<Record<IntegrityProblemKind, string>> = {
  content_changed: 'The event was changed after it was recorded: its content no longer gives the hash stored with it.',
  chain_broken: 'The event no longer follows the event before it in its stream: the chain of hashes is broken.',
  revision_out_of_order: 'An event before this one in its stream is missing or was moved.',
  unchained: 'The event carries no hash where one is required.',
  stream_head_mismatch: 'The stream no longer ends where an anchor recorded it: events were removed or rewritten.',
  anchor_mismatch: "A block of events no longer gives its anchor's Merkle root: events were removed, added or reordered.",
  anchor_digest_mismatch: "An anchor differs from the auditors' digest, or is missing.",
};

export interface ProblemView {
  readonly what: string;
  readonly where: string;
  readonly detail: string;
}

/** The last check of the stored history, as the audit page shows it. */
export interface VerificationView {
  readonly status: 'running' | 'ok' | 'problems' | 'failed';
  readonly heading: string;
  readonly lines: readonly string[];
  readonly problems: readonly ProblemView[];
}

export function verificationView(verification: IntegrityVerification | undefined): VerificationView | undefined {
  if (verification === undefined) return undefined;
  const started = `Started ${asAtInWords(verification.startedAt)}`;
  if (verification.status === 'running') {
    return {
      status: 'running',
      heading: 'The check is running',
      lines: [`${started}; ${count(verification.eventsChecked, 'event')} checked so far. Refresh this page to follow it.`],
      problems: [],
    };
  }
  const finished = verification.finishedAt !== undefined ? `, finished ${asAtInWords(verification.finishedAt)}` : '';
  if (verification.status === 'failed' || verification.report === undefined) {
    return { status: 'failed', heading: 'The check could not finish', lines: [`${started}${finished}.`, verification.error ?? ''], problems: [] };
  }
  const report = verification.report;
  const checked =
    `${count(report.eventsChecked, 'event')} in ${count(report.streamsChecked, 'stream')} checked against their hashes, ` +
    `the chain of each stream and ${count(report.anchorsChecked, 'anchor')}.`;
  const unanchored =
    report.unanchoredEvents > 0
      ? [`${count(report.unanchoredEvents, 'event')} recorded since the last anchor: their chains were checked; the next anchor will fix their place in the order.`]
      : [];
  if (report.ok) {
    return { status: 'ok', heading: 'Nothing was changed, removed or reordered', lines: [`${started}${finished}.`, checked, ...unanchored], problems: [] };
  }
  return {
    status: 'problems',
    heading: `The stored history does not match: ${count(report.problems.length, 'problem')} found`,
    lines: [`${started}${finished}.`, checked, 'The first problem in the order events were recorded comes first.'],
    problems: report.problems.map(problemView),
  };
}

function problemView(problem: IntegrityProblem): ProblemView {
  const where = [
    `stream ${problem.streamId}`,
    ...(problem.revision !== undefined ? [`revision ${problem.revision}`] : []),
    ...(problem.position !== undefined ? [`position ${problem.position}`] : []),
    ...(problem.eventId !== undefined ? [`event ${problem.eventId}`] : []),
  ].join(', ');
  return { what: PROBLEM_WORDS[problem.kind], where, detail: problem.detail };
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-GB')} ${noun}${n === 1 ? '' : 's'}`;
}
