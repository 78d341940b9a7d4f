import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { getPerson, listPeople } from '../people/people-directory.queries';
import type { EventScript } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { GREEN_95, sampleCouncilHistory } from '../testing/sample-history';
import { getKpi, listKpis, readRegisterFacts } from './kpi-register.queries';

describe.each(READ_MODEL_TEST_DIALECTS)('KPI register and people directory on %s', (dialect) => {
  let harness: ReadModelHarness;
  let script: EventScript;
  beforeEach(async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    script = sampleCouncilHistory();
    await harness.feed(script);
  });
  afterEach(async () => {
    await harness.close();
  });

  describe('when KPIs are defined with targets', () => {
    it('lists every field of the current definition, people and targets per financial year', async () => {
      const kpi = await getKpi(harness.db, 'ASC-01');
      expect(kpi).toMatchObject({
        kpiId: 'ASC-01',
        directorate: 'Health, Care and Wellbeing',
        serviceArea: 'Adult Social Care',
        planOutcome: '3.2 A healthy city where people thrive',
        owner: 's.lead',
        keyContacts: ['k.contact'],
        unit: 'percentage',
        decimalPlaces: 1,
        polarity: 'higher_is_better',
        frequency: 'quarterly',
        annualDueQuarter: null,
        measureType: 'snapshot',
        benchmarkSources: ['national average'],
        labels: 'green_amber_red',
        retired: false,
        definedAt: '2024-04-01T09:00:00.000Z',
      });
      expect(kpi?.targets.map((t) => [t.financialYear, t.policy])).toEqual([
        ['2024/25', GREEN_95],
        ['2025/26', { kind: 'thresholds', green: '98', amber: '96' }],
      ]);
    });

    it('filters by directorate and by a person who owns or is a key contact', async () => {
      expect((await listKpis(harness.db, { directorate: 'Place' })).map((k) => k.kpiId)).toEqual(['ENV-01']);
      expect((await listKpis(harness.db, { person: 'k.contact' })).map((k) => k.kpiId)).toEqual(['ASC-01', 'ASC-02']);
      expect((await listKpis(harness.db, { person: 'e.lead' })).map((k) => k.kpiId)).toEqual(['ENV-01']);
    });
  });

  describe('when a KPI is amended, reassigned, re-targeted and retired', () => {
    beforeEach(async () => {
      await harness.feed(
        script
          .at('2025-08-01T10:00:00Z')
          .kpi('ASC-09')
          .amendKpi('ASC-01', { definition: 'Now includes carers.', decimalPlaces: 2 }, 'ASCOF change', '2025/26-Q2')
          .changeOwner('ASC-01', 'n.owner', ['n.owner', 'k.contact'])
          .target('ASC-01', '2025/26', { kind: 'thresholds', green: '97', amber: '95' })
          .retire('ENV-01', '2025/26-Q2'),
      );
    });

    it('shows the amended definition, the quality-assurance period and the new owner', async () => {
      expect(await getKpi(harness.db, 'ASC-01')).toMatchObject({
        definition: 'Now includes carers.',
        decimalPlaces: 2,
        title: '% of social care clients receiving direct payments',
        underQualityAssuranceUntil: '2025/26-Q2',
        owner: 'n.owner',
        keyContacts: ['n.owner', 'k.contact'],
        updatedAt: '2025-08-01T10:00:00.000Z',
      });
    });

    it('replaces the target of the year set again and keeps the others', async () => {
      const targets = (await getKpi(harness.db, 'ASC-01'))!.targets;
      expect(targets.map((t) => [t.financialYear, t.policy])).toEqual([
        ['2024/25', GREEN_95],
        ['2025/26', { kind: 'thresholds', green: '97', amber: '95' }],
      ]);
    });

    it('hides retired KPIs unless asked, with the reason and the first quarter retired', async () => {
      expect((await listKpis(harness.db)).map((k) => k.kpiId)).toEqual(['ASC-01', 'ASC-02', 'ASC-09']);
      const all = await listKpis(harness.db, { includeRetired: true });
      expect(all.find((k) => k.kpiId === 'ENV-01')).toMatchObject({
        retired: true,
        retiredReason: 'replaced',
        retiredFrom: '2025/26-Q2',
      });
    });
    it("gives the register's rules the ids equal regardless of case and every directorate, retired KPIs included", async () => {
      const everything = await listKpis(harness.db, { includeRetired: true });
      const directorates = [...new Set(everything.map((k) => k.directorate))].sort();
      expect(await readRegisterFacts(harness.db)).toEqual({ kpiIds: everything.map((k) => k.kpiId), directorates });
      expect(await readRegisterFacts(harness.db, { kpiId: 'env-01' })).toEqual({ kpiIds: ['ENV-01'], directorates });
      expect(await readRegisterFacts(harness.db, { kpiId: 'Asc-09' })).toEqual({ kpiIds: ['ASC-09'], directorates });
      expect((await readRegisterFacts(harness.db, { kpiId: 'NEW-01' })).kpiIds).toEqual([]);
    });
  });

  describe('when people are registered, changed and deactivated', () => {
    it('lists them by role and directorate with their e-mail', async () => {
      expect((await listPeople(harness.db, { role: 'dmt' })).map((p) => p.personId)).toEqual(['d.director']);
      expect(
        (await listPeople(harness.db, { directorate: 'Health, Care and Wellbeing' })).map((p) => p.personId),
      ).toEqual(['d.director', 's.lead']);
      expect(await getPerson(harness.db, 's.lead')).toMatchObject({
        name: 'Sam Lead',
        email: 's.lead@council.example',
        roles: ['service-lead'],
        active: true,
      });
    });

    it('applies changes and hides deactivated people unless asked', async () => {
      await harness.feed(
        script
          .changePerson('s.lead', { roles: ['service-lead', 'dmt'], email: 'sam.lead@council.example' })
          .deactivatePerson('d.director', 'left the council'),
      );
      expect(await getPerson(harness.db, 's.lead')).toMatchObject({
        name: 'Sam Lead',
        email: 'sam.lead@council.example',
        roles: ['service-lead', 'dmt'],
      });
      expect((await listPeople(harness.db, { role: 'dmt' })).map((p) => p.personId)).toEqual(['s.lead']);
      expect(
        (await listPeople(harness.db, { role: 'dmt', includeInactive: true })).map((p) => [p.personId, p.active]),
      ).toEqual([
        ['d.director', false],
        ['s.lead', true],
      ]);
    });
  });
});
