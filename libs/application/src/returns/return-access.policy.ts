import type { KpiRecord } from '@quarterly/domain';
import type { Principal } from '@quarterly/platform/auth/principal';
import { ReturnAccessDeniedError } from './return-errors';

/**
 * Row-level access to returns, on top of the role checks the domain makes: a service lead acts
 * only on returns of KPIs they own or are a key contact for, a DMT member only on their
 * directorate's; the performance team (and the engine's own work, which acts with its role) on
 * all. Roles without a rule here (CLT escalating) are limited by the domain.
 */
export function mayActOnReturn(principal: Principal, kpi: Pick<KpiRecord, 'directorate' | 'owner' | 'keyContacts'>): boolean {
  if (principal.roles.includes('performance-team') || principal.roles.includes('clt')) return true;
  if (principal.roles.includes('dmt') && principal.directorate === kpi.directorate) return true;
  return principal.roles.includes('service-lead') && (kpi.owner === principal.id || kpi.keyContacts.includes(principal.id));
}

export function assertMayActOnReturn(principal: Principal, kpi: KpiRecord): void {
  if (!mayActOnReturn(principal, kpi)) throw new ReturnAccessDeniedError(principal.id, kpi.kpiId, kpi.directorate, kpi.owner);
}
