import type { KpiState } from '@quarterly/domain';

/** A KPI's register entry as the API shows it. */
export function kpiViewOf(state: KpiState) {
  if (state.status === 'not_defined') return { status: state.status };
  return { status: state.status, ...state.kpi };
}
