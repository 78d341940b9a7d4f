import type { IntegrityProblemKind, VerificationReport } from '@quarterly/event-store';
import type { IntegrityVerification } from '../../audit/integrity-verifications.service';
import { verificationView } from './audit-page.view-model';

const base = { id: '6f1d2c8e-3a5b-4c7d-9e0f-1a2b3c4d5e6f', startedAt: '2026-11-30T10:00:00.000Z' };
const report = (overrides: Partial<VerificationReport>): VerificationReport => ({
  ok: true,
  scope: 'all',
  eventsChecked: 1200,
  streamsChecked: 40,
  anchorsChecked: 1,
  unchainedEvents: 0,
  unanchoredEvents: 0,
  problems: [],
  elapsedMs: 12,
  ...overrides,
});
const completed = (r: VerificationReport): IntegrityVerification => ({ ...base, status: 'completed', finishedAt: '2026-11-30T10:00:02.000Z', eventsChecked: r.eventsChecked, report: r });

describe('the last check of the stored history, in words', () => {
  it('says nothing ran when nothing did', () => {
    expect(verificationView(undefined)).toBeUndefined();
  });

  it('counts a running check, in London time', () => {
    expect(verificationView({ ...base, status: 'running', eventsChecked: 3000 })).toEqual({
      status: 'running',
      heading: 'The check is running',
      lines: ['Started 30 November 2026 at 10:00; 3,000 events checked so far. Refresh this page to follow it.'],
      problems: [],
    });
  });

  it('says what a clean check covered, and what waits for the next anchor', () => {
    const view = verificationView(completed(report({ unanchoredEvents: 1, anchorsChecked: 2 })))!;
    expect(view.status).toBe('ok');
    expect(view.lines).toEqual([
      'Started 30 November 2026 at 10:00, finished 30 November 2026 at 10:00.',
      '1,200 events in 40 streams checked against their hashes, the chain of each stream and 2 anchors.',
      '1 event recorded since the last anchor: their chains were checked; the next anchor will fix their place in the order.',
    ]);
  });

  it('names each problem with where it is, first first', () => {
    const kinds: IntegrityProblemKind[] = ['content_changed', 'chain_broken', 'revision_out_of_order', 'unchained', 'stream_head_mismatch', 'anchor_mismatch', 'anchor_digest_mismatch'];
    const problems = kinds.map((kind, index) => ({ kind, streamId: `return-ENV-0${index}-2026-27-Q1`, revision: String(index), eventId: `event-${index}`, detail: `detail ${index}` }));
    const view = verificationView(completed(report({ ok: false, problems, firstProblem: problems[0] })))!;
    expect(view.status).toBe('problems');
    expect(view.heading).toBe('The stored history does not match: 7 problems found');
    expect(view.problems[0]).toEqual({
      what: 'The event was changed after it was recorded: its content no longer gives the hash stored with it.',
      where: 'stream return-ENV-00-2026-27-Q1, revision 0, event event-0',
      detail: 'detail 0',
    });
    expect(new Set(view.problems.map((problem) => problem.what)).size).toBe(kinds.length);
  });

  it('says why a check could not finish', () => {
    expect(verificationView({ ...base, status: 'failed', finishedAt: '2026-11-30T10:00:01.000Z', eventsChecked: 10, error: 'the event store is unavailable (SQLITE_BUSY)' })).toMatchObject({
      status: 'failed',
      heading: 'The check could not finish',
      lines: ['Started 30 November 2026 at 10:00, finished 30 November 2026 at 10:00.', 'the event store is unavailable (SQLITE_BUSY)'],
    });
  });
});
