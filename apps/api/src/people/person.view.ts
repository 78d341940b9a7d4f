import type { PersonState } from '@quarterly/domain';

export function personViewOf(state: PersonState) {
  if (state.status === 'not_registered') return { status: state.status };
  return { status: state.status, ...state.person };
}
