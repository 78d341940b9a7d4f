import { changesWhatReviewerJudges, type ReturnEvent } from '@quarterly/domain';
import type { VersionOf } from '@quarterly/platform/commands/event-sourced-command-executor';

/**
 * A return's version, its ETag: the revision of the last event that changed what a reviewer
 * judges (see `changesWhatReviewerJudges`). A reminder, a chaser or a deadline extension leaves
 * it as it was, so a DMT's approval against the version they read is not refused because the
 * engine recorded a notice meanwhile; a resubmission or restatement moves it, and the approval is
 * refused (412) naming the state the return is in now.
 */
export const returnReviewVersion: VersionOf<ReturnEvent> = (events) => {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    if (changesWhatReviewerJudges(events[i]!.event)) return events[i]!.revision;
  }
  return null;
};
