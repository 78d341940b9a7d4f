import type { QuarterlyEngine } from '@quarterly/platform';
import { listPeople } from '@quarterly/read-models';

/** An account of the demo identity provider (infra/local/identity-provider). */
export interface IdentityAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** For the listing the demo prints: what the person does. */
  readonly roles: readonly string[];
  readonly directorate: string | null;
  readonly active: boolean;
}

/**
 * Everyone in the directory, deactivated people included (they can sign in at the provider and
 * are then refused by Quarterly, as they would be at the council's own provider).
 */
export async function identityAccounts(engine: QuarterlyEngine): Promise<IdentityAccount[]> {
  const people = await listPeople(engine.readModels.db, { includeInactive: true });
  return people.map((p) => ({ id: p.personId, email: p.email, name: p.name, roles: p.roles, directorate: p.directorate, active: p.active }));
}
