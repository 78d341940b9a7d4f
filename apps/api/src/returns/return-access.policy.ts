import { ForbiddenException } from '@nestjs/common';
import type { KpiRecord } from '@quarterly/domain';
import type { Principal } from '@quarterly/platform';

/**
 * Row-level access to returns, on top of the role checks: a service lead acts only on returns of
 * KPIs they own or are a key contact for, a DMT member only on their directorate's; the
 * performance team on all. Roles without a rule here (CLT escalating) are limited by the domain.
 */
export function assertMayActOnReturn(principal: Principal, kpi: KpiRecord): void {
  if (principal.roles.includes('performance-team') || principal.roles.includes('clt')) return;
  if (principal.roles.includes('dmt') && principal.directorate === kpi.directorate) return;
  if (principal.roles.includes('service-lead') && (kpi.owner === principal.id || kpi.keyContacts.includes(principal.id))) return;
  throw new ForbiddenException(
    `${principal.id} may not act on returns of ${kpi.kpiId}: it belongs to ${kpi.directorate}, owned by ${kpi.owner}`,
  );
}
