import { EventScript } from '@quarterly/read-models/testing/event-script';

/** The cycle of {@link oneReturnCouncil}, and its returns' due date (Tuesday 14 October 2025). */
export const ONE_RETURN_CYCLE = '2025/26-Q2';
export const ONE_RETURN_DUE = '2025-10-14';

/**
 * The smallest council whose cycle chases someone: one KPI (ASC-01) owned by `s.lead` with key
 * contact `k.contact`, and the 2025/26 Q2 cycle opened on 1 October 2025 requesting its return.
 */
export function oneReturnCouncil(): EventScript {
  return new EventScript()
    .at('2025-10-01T08:00:00Z')
    .person('s.lead', 'Sam Lead', ['service-lead'], 'Health, Care and Wellbeing')
    .person('k.contact', 'Kim Contact', ['service-lead'], 'Health, Care and Wellbeing')
    .kpi('ASC-01', { title: 'Direct payments' })
    .openCycle(ONE_RETURN_CYCLE, ['ASC-01'], ONE_RETURN_DUE);
}
