import type { EscalationAudience, EscalationLevel } from './return.events';

/** A person as far as the escalation rule needs them (from the people directory). */
export interface AudienceMember {
  readonly personId: string;
  readonly roles: readonly string[];
  readonly directorate?: string;
  /** Deactivated people are never told anything. */
  readonly active: boolean;
}

/**
 * Who hears of an escalation: the KPI's owner (to), copied to its key contacts and the DMT members
 * of its directorate, and for a CLT escalation the members of CLT as well. Each person appears once,
 * in the first place they qualify; deactivated people and unknown ids are left out. When the owner
 * cannot be told, the first of the others is addressed instead, so that an escalation is never
 * only a copy.
 */
export function escalationAudience(
  people: ReadonlyMap<string, AudienceMember>,
  kpi: { readonly owner: string; readonly keyContacts: readonly string[]; readonly directorate: string },
  level: EscalationLevel,
): EscalationAudience {
  const active = [...people.values()].filter((p) => p.active);
  const seen = new Set<string>();
  const take = (candidates: readonly (AudienceMember | undefined)[]): string[] =>
    candidates
      .filter((p): p is AudienceMember => !!p && p.active && !seen.has(p.personId) && !!seen.add(p.personId))
      .map((p) => p.personId);

  const to = take([people.get(kpi.owner)]);
  const cc = [
    ...take(kpi.keyContacts.map((id) => people.get(id))),
    ...take(active.filter((p) => p.roles.includes('dmt') && p.directorate === kpi.directorate)),
    ...(level === 'clt' ? take(active.filter((p) => p.roles.includes('clt'))) : []),
  ];
  if (to.length === 0 && cc.length > 0) return { to: cc.slice(0, 1), cc: cc.slice(1) };
  return { to, cc };
}
