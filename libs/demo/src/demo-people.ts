/**
 * The people of the demo council: a performance team, an auditor, a councillor, the chief
 * executive, and for each directorate its director (the DMT that approves) and the heads of
 * service who own the KPIs and submit the figures. Everyone is fictional; e-mail addresses use
 * the reserved `council.example` domain so no message can reach a real person.
 */
import type { Role } from '@quarterly/domain';
import { DemoDataError } from './demo-errors';

/** The directorates, spelled exactly as in the KPI register (row-level access compares them). */
export const DEMO_DIRECTORATES = {
  adults: 'Adults and Health',
  children: 'Children and Families',
  place: 'Place',
  resources: 'Resources',
  communities: 'Communities',
} as const;

export type DemoDirectorate = (typeof DEMO_DIRECTORATES)[keyof typeof DEMO_DIRECTORATES];

export interface DemoPerson {
  readonly personId: string;
  readonly name: string;
  /** Job title, listed with the demo users so the Quick start can say who is who. */
  readonly jobTitle: string;
  readonly roles: readonly Role[];
  /** Set for DMT members and service leads. */
  readonly directorate?: DemoDirectorate;
}

const { adults, children, place, resources, communities } = DEMO_DIRECTORATES;

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  // Corporate: the central team that runs the cycle, and the readers.
  { personId: 'p.team', name: 'Priya Tanner', jobTitle: 'Performance and Intelligence Manager', roles: ['performance-team'] },
  { personId: 'j.osei', name: 'Joseph Osei', jobTitle: 'Senior Performance Analyst', roles: ['performance-team'] },
  { personId: 'r.hughes', name: 'Rachel Hughes', jobTitle: 'Head of Internal Audit', roles: ['auditor'] },
  { personId: 'cllr.ali', name: 'Cllr Mariam Ali', jobTitle: 'Cabinet Member for Finance and Performance', roles: ['member'] },
  { personId: 's.bennett', name: 'Sarah Bennett', jobTitle: 'Chief Executive', roles: ['clt'] },
  // Adults and Health
  { personId: 'd.okafor', name: 'David Okafor', jobTitle: 'Corporate Director, Adults and Health', roles: ['dmt'], directorate: adults },
  { personId: 'a.khan', name: 'Aisha Khan', jobTitle: 'Head of Adult Social Care', roles: ['service-lead'], directorate: adults },
  { personId: 'l.price', name: 'Laura Price', jobTitle: 'Head of Public Health and Leisure', roles: ['service-lead'], directorate: adults },
  // Children and Families
  { personId: 'h.wright', name: 'Helen Wright', jobTitle: "Director of Children's Services", roles: ['dmt'], directorate: children },
  { personId: 't.nwosu', name: 'Tunde Nwosu', jobTitle: "Head of Children's Social Care", roles: ['service-lead'], directorate: children },
  { personId: 'e.clarke', name: 'Emma Clarke', jobTitle: 'Head of SEND and Inclusion', roles: ['service-lead'], directorate: children },
  // Place
  { personId: 'm.fraser', name: 'Mark Fraser', jobTitle: 'Director of Place', roles: ['dmt'], directorate: place },
  { personId: 'g.evans', name: 'Gareth Evans', jobTitle: 'Head of City Environment', roles: ['service-lead'], directorate: place },
  { personId: 's.patel', name: 'Sunita Patel', jobTitle: 'Head of Planning', roles: ['service-lead'], directorate: place },
  // Resources
  { personId: 'k.lewis', name: 'Karen Lewis', jobTitle: 'Director of Resources', roles: ['dmt'], directorate: resources },
  { personId: 'b.hall', name: 'Ben Hall', jobTitle: 'Head of Revenues, Benefits and Customer Services', roles: ['service-lead'], directorate: resources },
  { personId: 'f.ahmed', name: 'Farah Ahmed', jobTitle: 'Head of HR and Organisational Development', roles: ['service-lead'], directorate: resources },
  // Communities
  { personId: 'n.begum', name: 'Nadia Begum', jobTitle: 'Director of Communities and Housing', roles: ['dmt'], directorate: communities },
  { personId: 'o.reid', name: 'Owen Reid', jobTitle: 'Head of Housing', roles: ['service-lead'], directorate: communities },
];

/** The performance-team member who keeps the register and runs the cycles in the story. */
export const DEMO_PERFORMANCE_LEAD = 'p.team';

export function demoEmailOf(person: DemoPerson): string {
  return `${person.personId}@council.example`;
}

/** The director whose DMT reviews a directorate's returns. */
export function demoDirectorOf(directorate: DemoDirectorate): DemoPerson {
  const director = DEMO_PEOPLE.find((person) => person.directorate === directorate && person.roles.includes('dmt'));
  if (!director) throw new DemoDataError(`the demo council has no DMT for ${directorate}`);
  return director;
}

export function demoPerson(personId: string): DemoPerson {
  const person = DEMO_PEOPLE.find((candidate) => candidate.personId === personId);
  if (!person) throw new DemoDataError(`the demo council has no person ${personId}`);
  return person;
}
