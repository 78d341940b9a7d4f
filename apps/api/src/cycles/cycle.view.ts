import type { CycleState } from '@quarterly/domain';

/** A cycle as the API shows it. */
export function cycleViewOf(state: CycleState) {
  if (state.status === 'not_opened') return { status: state.status };
  if (state.status === 'imported') return { status: state.status, ...state.imported };
  return { status: state.status, ...state.cycle };
}
