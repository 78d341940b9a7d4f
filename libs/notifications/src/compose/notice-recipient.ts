import type { MailAddress } from '../mail/mailer.port';

/** A person as the mailer needs them: from the people directory (PersonRegistered and later changes). */
export interface NoticeRecipient extends MailAddress {
  readonly personId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly directorate?: string;
  /** Deactivated people are never mailed. */
  readonly active: boolean;
}

/** The people an escalation goes to: the owner, copied to the others. */
export interface EscalationAddressees {
  readonly to: readonly NoticeRecipient[];
  readonly cc: readonly NoticeRecipient[];
}

/**
 * Who hears of an escalation: the KPI owner (to), copied to its key contacts and the DMT members
 * of its directorate, and for a CLT escalation the members of CLT as well. Each person appears
 * once, in the first place they qualify; deactivated people and unknown ids are left out.
 */
export function escalationAddressees(
  people: ReadonlyMap<string, NoticeRecipient>,
  kpi: { readonly owner: string; readonly keyContacts: readonly string[]; readonly directorate: string },
  level: 'dmt' | 'clt',
): EscalationAddressees {
  const active = [...people.values()].filter((p) => p.active);
  const seen = new Set<string>();
  const take = (candidates: readonly (NoticeRecipient | undefined)[]) =>
    candidates.filter((p): p is NoticeRecipient => !!p && p.active && !seen.has(p.personId) && !!seen.add(p.personId));

  const to = take([people.get(kpi.owner)]);
  const cc = [
    ...take(kpi.keyContacts.map((id) => people.get(id))),
    ...take(active.filter((p) => p.roles.includes('dmt') && p.directorate === kpi.directorate)),
    ...(level === 'clt' ? take(active.filter((p) => p.roles.includes('clt'))) : []),
  ];
  return { to, cc };
}
