import type { CycleState } from '@quarterly/domain';

/** A cycle as the API shows it. */
export function cycleViewOf(state: CycleState) {
  if (state.status === 'not_opened') return { status: state.status };
  return { status: state.status, ...state.cycle };
}
