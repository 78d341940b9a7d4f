import type { NoticeRecipient } from '@quarterly/notifications';
import { findPersonIdBySignInId, listPeople, type ReadModelDatabase } from '@quarterly/read-models';

/** Who is who, for addressing notices: the people directory read model. */
export interface PeopleDirectory {
  /** Everyone in the directory, deactivated people included (marked inactive), by person id. */
  everyone(): Promise<ReadonlyMap<string, NoticeRecipient>>;
}

export interface ReadModelPeopleDirectoryOptions {
  /**
   * How long a loaded directory is reused. Thousands of timers fire in the same minute; the
   * directory changes rarely.
   * @defaultValue 30 000 ms
   */
  readonly cacheMs?: number;
}

/** {@link PeopleDirectory} over the `people` read model (PersonRegistered and later events). */
export class ReadModelPeopleDirectory implements PeopleDirectory {
  private cached: { at: number; people: Promise<ReadonlyMap<string, NoticeRecipient>> } | undefined;
  private readonly cacheMs: number;

  constructor(
    private readonly database: ReadModelDatabase,
    options: ReadModelPeopleDirectoryOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 30_000;
  }

  everyone(): Promise<ReadonlyMap<string, NoticeRecipient>> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.cacheMs) {
      const people = listPeople(this.database.db, { includeInactive: true }).then(
        (rows) =>
          new Map(
            rows.map((p) => [
              p.personId,
              {
                personId: p.personId,
                name: p.name,
                email: p.email,
                roles: p.roles,
                ...(p.directorate ? { directorate: p.directorate } : {}),
                active: p.active,
              },
            ]),
          ),
      );
      people.catch(() => (this.cached = undefined));
      this.cached = { at: now, people };
    }
    return this.cached.people;
  }

  /** Who holds a sign-in id, read fresh (timers change nobody's; the use cases' port asks it of every directory). */
  holderOfSignInId(signInId: string): Promise<string | undefined> {
    return findPersonIdBySignInId(this.database.db, signInId);
  }
}
