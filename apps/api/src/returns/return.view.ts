import type { ReturnState } from '@quarterly/domain';

/** A return as the API shows it: its stage, figure, rating, people and history. */
export function returnViewOf(state: ReturnState) {
  if (state.status === 'not_requested') return { status: state.status };
  const { request, noticeKeys: _noticeKeys, ...rest } = state;
  return {
    returnId: request.returnId,
    kpiId: request.kpiId,
    cycleId: request.cycleId,
    periodCovered: request.periodCovered,
    expectedMonths: request.expectedMonths,
    kpi: request.kpi,
    ...rest,
  };
}
