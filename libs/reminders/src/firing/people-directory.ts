import type { NoticeRecipient } from '@quarterly/notifications';
import { findPersonIdBySignInId, listPeople, type ReadModelDatabase } from '@quarterly/read-models';

/** Who is who, for addressing notices: the people directory read model. */
export interface PeopleDirectory {
  /**
   * Everyone in the directory, deactivated people included (marked inactive), by person id; read
   * again when one of `including` is missing from the copy kept.
   */
  everyone(including?: readonly string[]): Promise<ReadonlyMap<string, NoticeRecipient>>;
}

export interface ReadModelPeopleDirectoryOptions {
  /**
   * How long a loaded directory is reused. Thousands of timers fire in the same minute; the
   * directory changes rarely.
   * @defaultValue 30 000 ms
   */
  readonly cacheMs?: number;
}

/**
 * {@link PeopleDirectory} over the `people` read model, kept for `cacheMs`. A person asked for and
 * not in the copy (registered since it was read) makes it read again, once per copy: an id that
 * names no one (a KPI owner never registered) costs one read, not one per notice.
 */
export class ReadModelPeopleDirectory implements PeopleDirectory {
  private cached: { at: number; people: Promise<ReadonlyMap<string, NoticeRecipient>>; missed: Set<string> } | undefined;
  private readonly cacheMs: number;

  constructor(
    private readonly database: ReadModelDatabase,
    options: ReadModelPeopleDirectoryOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 30_000;
  }

  async everyone(including: readonly string[] = []): Promise<ReadonlyMap<string, NoticeRecipient>> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.cacheMs) return this.load(now).people;
    const cached = this.cached;
    const people = await cached.people;
    const missing = including.filter((id) => !people.has(id) && !cached.missed.has(id));
    if (missing.length === 0) return people;
    // Read again, unless a caller that missed them too already did.
    const fresh = this.cached === cached || this.cached === undefined ? this.load(now) : this.cached;
    for (const id of missing) fresh.missed.add(id);
    return fresh.people;
  }

  private load(now: number): { people: Promise<ReadonlyMap<string, NoticeRecipient>>; missed: Set<string> } {
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
    const entry = { at: now, people, missed: new Set<string>() };
    people.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    this.cached = entry;
    return entry;
  }

  /** Who holds a sign-in id, read fresh (timers change nobody's; the use cases' port asks it of every directory). */
  holderOfSignInId(signInId: string): Promise<string | undefined> {
    return findPersonIdBySignInId(this.database.db, signInId);
  }
}
