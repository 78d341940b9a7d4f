import type { Principal } from '@quarterly/platform/auth/principal';
import { mayActOnReturn } from './return-access.policy';

const KPI = { directorate: 'Place', owner: 's.lead', keyContacts: ['k.contact'] };
const as = (id: string, roles: Principal['roles'], directorate?: string): Principal => ({ id, roles, ...(directorate ? { directorate } : {}) });

describe('who may act on a return (row-level, on top of the roles the domain checks)', () => {
  it("lets the KPI's owner and key contacts act, not another service lead", () => {
    expect(mayActOnReturn(as('s.lead', ['service-lead'], 'Place'), KPI)).toBe(true);
    expect(mayActOnReturn(as('k.contact', ['service-lead'], 'Resources'), KPI)).toBe(true);
    expect(mayActOnReturn(as('o.lead', ['service-lead'], 'Place'), KPI)).toBe(false);
  });

  it("lets the KPI directorate's DMT act, not another directorate's", () => {
    expect(mayActOnReturn(as('d.place', ['dmt'], 'Place'), KPI)).toBe(true);
    expect(mayActOnReturn(as('d.resources', ['dmt'], 'Resources'), KPI)).toBe(false);
    expect(mayActOnReturn(as('d.nowhere', ['dmt']), KPI)).toBe(false);
  });

  it('lets the performance team and CLT act on every return, and nobody else', () => {
    expect(mayActOnReturn(as('p.team', ['performance-team']), KPI)).toBe(true);
    expect(mayActOnReturn(as('system:reminders', ['performance-team']), KPI)).toBe(true);
    expect(mayActOnReturn(as('c.exec', ['clt']), KPI)).toBe(true);
    expect(mayActOnReturn(as('a.audit', ['auditor']), KPI)).toBe(false);
    expect(mayActOnReturn(as('cllr.jones', ['member']), KPI)).toBe(false);
  });
});
