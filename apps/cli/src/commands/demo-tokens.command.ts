import type { AppConfig, QuarterlyEngine } from '@quarterly/platform';
import { listPeople } from '@quarterly/read-models';
import { mintToken } from './mint-token.command';

export interface DemoToken {
  readonly personId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly directorate: string | null;
  readonly token: string;
}

/** A token for every active person in the directory: the demo's way in (local mode only). */
export async function demoTokens(engine: QuarterlyEngine, config: AppConfig, hours = 12): Promise<DemoToken[]> {
  const people = await listPeople(engine.readModels.db);
  const tokens: DemoToken[] = [];
  for (const person of people) {
    tokens.push({
      personId: person.personId,
      name: person.name,
      roles: person.roles,
      directorate: person.directorate ?? null,
      token: await mintToken(engine, config, person.personId, hours),
    });
  }
  return tokens;
}
