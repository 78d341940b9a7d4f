/** The demo register, part 1: Adults and Health, Children and Families. */
import { kpisOf, metNotMet, serviceArea, thresholds, tolerance, tracker, type DemoKpi } from './demo-kpi-builders';

const adultSocialCare = serviceArea('adults', 'Adult Social Care', '3.2 People live independently for longer', 'on_track_monitor_action');
const leisure = serviceArea('adults', 'Public Health and Leisure', '3.3 Active, healthy lives', 'on_track_monitor_action');
const childrensSocialCare = serviceArea('children', "Children's Social Care", '3.1 Children are safe, healthy and achieve', 'green_amber_red');
const send = serviceArea('children', 'SEND and Inclusion', '3.1 Children are safe, healthy and achieve', 'on_track_monitor_action');

const caseSystem = 'Adults case management system, month-end extract';
const childrenSystem = "Children's case management system (feeds the DfE CIN census and SSDA903)";

export const ADULTS_AND_CHILDRENS_KPIS: readonly DemoKpi[] = [
  ...kpisOf(adultSocialCare, [
    {
      kpiId: 'ASC-01', title: '% of social care clients receiving direct payments',
      definition: 'Adults receiving long-term community support who receive a direct payment, as a % of all adults receiving long-term community support, at quarter end.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'snapshot',
      dataSource: caseSystem, benchmarkSources: ['national average', 'statistical neighbours'],
      owner: 'a.khan', keyContacts: ['l.price'], policy: thresholds('24.1', '21.4'),
      values: ['23.8', '23.4', '22.9', '23.1', '23.6', '24.2'],
      context: 'National average 26.2%, statistical neighbours 25.9%.',
      offTarget: ['Take-up among older people remains low; some recipients returned to commissioned services after provider failures.', 'Virtual Wallets launched; a Direct Payments Advisor now reviews every new package for a direct payment offer.'],
    },
    {
      kpiId: 'ASC-02', title: 'Adults in receipt of community support as a proportion of all adults in receipt of a long-term service',
      definition: 'Adults receiving long-term community-based support as a % of all adults receiving a long-term service (community plus residential and nursing), at quarter end.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'snapshot',
      dataSource: caseSystem, benchmarkSources: ['national average'],
      owner: 'a.khan', keyContacts: [], policy: thresholds('70', '65'),
      values: ['69.8', '69.8', '70.1', '70.4', '69.9', '70.3'],
      offTarget: ['Hospital discharges into short-term residential beds rose over the winter.', 'The Whole Life Pathway workstream moves people to the least restrictive setting; discharge-to-assess beds are reviewed weekly.'],
    },
    {
      kpiId: 'ASC-03', title: 'Permanent admissions of older people (65+) to residential and nursing care homes, per 100,000 population',
      definition: 'Council-supported permanent admissions of people aged 65 and over to residential and nursing care in the 12 months to quarter end, per 100,000 population aged 65+ (ASCOF 2A).',
      unit: 'rate_per_100000', decimalPlaces: 1, polarity: 'lower_is_better', frequency: 'quarterly', measureType: 'rolling_12_months',
      dataSource: caseSystem, limitations: 'Admissions are sometimes recorded weeks late; the latest quarter may rise on refresh.',
      benchmarkSources: ['national average', 'statistical neighbours'],
      owner: 'a.khan', keyContacts: [], policy: tolerance('560.8'), nextPolicy: tolerance('545.0'),
      values: ['571.2', '581.6', '575.0', '562.4', '549.8', '556.3'],
      offTarget: ['Admissions rose after hospital discharge pressures; the 6-month trend extrapolates to slightly above target.', 'Solution circles now review community-based options before any residential placement is agreed.'],
    },
    {
      kpiId: 'ASC-04', title: '% of people receiving long-term support who have been reviewed in the last 12 months',
      definition: 'People receiving long-term support for 12 months or more who had a review in the 12 months to quarter end, as a % of all such people (carer reviews included).',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'rolling_12_months',
      dataSource: caseSystem, limitations: 'Includes commissioned carer reviews, for which the council is not directly responsible.',
      benchmarkSources: ['statistical neighbours'],
      owner: 'a.khan', keyContacts: ['l.price'], policy: tolerance('75'),
      values: ['52.4', '46.9', '49.8', '55.1', '58.6', '61.2'],
      offTarget: ['Review capacity was redirected to hospital discharge work; commissioned carer reviews lag.', 'Each service area now holds a review target; a dedicated review team started in April and carer reviews will be reported separately.'],
    },
    {
      kpiId: 'ASC-05', title: '% of completed safeguarding enquiries where the desired outcomes were fully or partially achieved',
      definition: 'Completed section 42 safeguarding enquiries in the quarter where the adult at risk expressed desired outcomes and these were fully or partially achieved, as a % of such enquiries.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period',
      dataSource: 'Safeguarding Adults Collection (SAC) extract', benchmarkSources: ['national average'],
      owner: 'a.khan', keyContacts: [], policy: metNotMet('90'),
      values: ['91.2', '88.7', '92.5', '93.0', '90.4', '89.1'],
      offTarget: ['Recording of desired outcomes improved, but outcomes met were not always recorded at closure.', 'Practice guidance reissued and closure audits added to the monthly quality assurance programme.'],
    },
  ]),
  ...kpisOf(leisure, [
    {
      kpiId: 'PH-01', title: 'Number of attendances at council-owned indoor sports facilities',
      definition: 'Recorded attendances (swims, gym visits, classes, courts) at the council-owned leisure centres in the 12 months to quarter end.',
      unit: 'count', decimalPlaces: 0, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'rolling_12_months',
      dataSource: 'Leisure operator booking and access-control system', limitations: 'Casual swims at one pool are counted at the till, not the turnstile.',
      owner: 'l.price', keyContacts: [], policy: thresholds('1569970', '1412973'), nextPolicy: thresholds('1700000', '1530000'),
      values: ['1612400', '1656561', '1671230', '1688904', '1702115', '1715870'],
      offTarget: ['The learner pool closed for six weeks for plant replacement.', 'Learn-to-swim programme moved to the main pool; pool reopened with extended hours.'],
    },
  ]),
  ...kpisOf(childrensSocialCare, [
    {
      kpiId: 'CSC-01', title: "Rate of referrals to children's social care per 10,000 children",
      definition: "Referrals to children's social care in the 12 months to month end, per 10,000 children aged 0-17 (mid-year population estimate).",
      unit: 'rate_per_10000', decimalPlaces: 1, polarity: 'lower_is_better', frequency: 'monthly', measureType: 'rolling_12_months',
      dataSource: childrenSystem, benchmarkSources: ['national average', 'statistical neighbours'],
      owner: 't.nwosu', keyContacts: [], policy: tolerance('581'), nextPolicy: tolerance('560'),
      values: [], headline: 'last',
      months: ['626.9', '610.4', '598.2', '589.7', '575.0', '562.3', '570.1', '566.8', '559.4', '561.0', '554.2', '549.6', '552.3', '547.9', '541.0', '538.2', '544.6', '539.7'],
      context: 'Above the national average but better than statistical neighbours.',
      offTarget: ['Referrals from schools rose at the start of the year.', 'A conversational model at the front door gathers the right information and consent before a referral is accepted.'],
    },
    {
      kpiId: 'CSC-02', title: 'Rate of children in need per 10,000 children',
      definition: 'Children in need (open CIN episodes, including CP and CLA) at quarter end, per 10,000 children aged 0-17.',
      unit: 'rate_per_10000', decimalPlaces: 1, polarity: 'lower_is_better', frequency: 'quarterly', measureType: 'snapshot',
      dataSource: childrenSystem, benchmarkSources: ['national average', 'statistical neighbours'],
      owner: 't.nwosu', keyContacts: [], policy: tolerance('375.4'), nextPolicy: tolerance('350.0'),
      values: ['389.2', '353.6', '348.1', '356.0', '351.4', '349.9'],
      context: 'Statistical neighbour average 429; national average 343.',
      offTarget: ['A backlog of CIN plans open for more than a year.', 'Every plan open for more than 12 months is being reviewed for step-down to early help.'],
    },
    {
      kpiId: 'CSC-03', title: 'Rate of children subject to a child protection plan per 10,000 children',
      definition: 'Children subject to a child protection plan at quarter end, per 10,000 children aged 0-17.',
      unit: 'rate_per_10000', decimalPlaces: 1, polarity: 'lower_is_better', frequency: 'quarterly', measureType: 'snapshot',
      dataSource: childrenSystem, benchmarkSources: ['national average', 'statistical neighbours'],
      owner: 't.nwosu', keyContacts: [], policy: tolerance('49'),
      values: ['46.1', '42.9', '45.3', '47.2', '44.8', '50.3'],
      context: 'National average 43.2, statistical neighbours 52.9.',
      offTarget: ['Demand rose over the summer holiday period, as in previous years.', 'Family Safeguarding teams review every plan at 9 months; adult mental health practitioners joined the teams.'],
    },
    {
      kpiId: 'CSC-05', title: 'Number of children in care',
      definition: 'Children looked after by the council at quarter end (SSDA903 definition), excluding short-break placements.',
      unit: 'count', decimalPlaces: 0, polarity: 'lower_is_better', frequency: 'quarterly', measureType: 'snapshot',
      dataSource: childrenSystem, benchmarkSources: ['statistical neighbours'],
      owner: 't.nwosu', keyContacts: [], policy: tracker,
      values: ['352', '339', '344', '331', '327', '333'],
      context: 'Tracked without a target; the Family Safeguarding approach aims to reduce care entrants.',
    },
    {
      kpiId: 'CSC-06', title: '% of looked-after children with three or more placements in the year',
      definition: 'Children looked after at quarter end who had three or more placements in the previous 12 months, as a % of all children looked after.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'lower_is_better', frequency: 'quarterly', measureType: 'rolling_12_months',
      dataSource: childrenSystem, benchmarkSources: ['national average'],
      owner: 't.nwosu', keyContacts: [], policy: tolerance('10.5'),
      values: ['15.8', '13.7', '13.2', '12.4', '11.9', '11.2'],
      offTarget: ['Progress has plateaued; a small number of older children with complex needs moved several times.', 'The placement stability panel meets monthly; children with two moves in a year get additional oversight.'],
    },
    {
      kpiId: 'CSC-07', title: '% of care leavers aged 19-21 in education, employment or training',
      definition: 'Care leavers aged 19, 20 and 21 in education, employment or training on their birthday in the 12 months to quarter end, as a % of those in touch.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'snapshot',
      dataSource: childrenSystem, benchmarkSources: ['national average'],
      owner: 't.nwosu', keyContacts: ['e.clarke'], policy: tolerance('54.7'),
      values: ['58.6', '52.7', '54.1', '55.9', '56.3', '53.8'],
      offTarget: ['Several young people finished college courses in the summer without a next step recorded.', 'Personal advisers are reviewing every record; the post-16 service offers a guaranteed interview scheme.'],
    },
  ]),
  ...kpisOf(send, [
    {
      kpiId: 'EDU-01', title: '% of Education, Health and Care Plans issued within 20 weeks, including exceptions',
      definition: 'New EHC plans issued in the quarter within 20 weeks of the request for assessment, exceptions included, as a % of all new plans issued.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period',
      dataSource: 'SEND case management system', benchmarkSources: ['national average'],
      owner: 'e.clarke', keyContacts: [], policy: thresholds('57.1', '45.8'), nextPolicy: thresholds('65', '55'),
      values: ['80.2', '76.5', '71.3', '68.9', '62.4', '55.0'],
      offTarget: ['Requests for assessment rose by a quarter; educational psychologist advice is the bottleneck.', 'Two locum educational psychologists are commissioned and advice requests are triaged weekly.'],
    },
    {
      kpiId: 'EDU-02', title: '% of Strengthening Family Assessments completed in 45 working days',
      definition: 'Children and family assessments completed in the quarter within 45 working days of the referral, as a % of all assessments completed.',
      unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period',
      dataSource: childrenSystem, benchmarkSources: ['national average'],
      owner: 't.nwosu', keyContacts: ['e.clarke'], policy: thresholds('84.5', '77.5'),
      values: ['87.3', '88.9', '86.2', '83.9', '85.7', '87.1'],
      offTarget: ['Staff vacancies in two assessment teams over the winter.', 'Agency cover is in place and assessments are tracked daily against day 35.'],
    },
    {
      kpiId: 'EDU-04', title: 'Average Strengths and Difficulties Questionnaire (SDQ) score of children in care',
      definition: 'Mean SDQ total difficulties score of children aged 4-16 looked after for 12 months or more at 31 March (lower is better).',
      unit: 'score', decimalPlaces: 1, polarity: 'lower_is_better', frequency: 'annual', measureType: 'snapshot',
      dataSource: 'SSDA903 return', limitations: 'Only complete once carers return the questionnaires; published with the SSDA903 in the summer.',
      benchmarkSources: ['national average', 'statistical neighbours'],
      owner: 'e.clarke', keyContacts: [], policy: metNotMet('14.0'),
      values: ['14.6', '14.1'],
      offTarget: ['Scores rose among older children placed out of area.', 'The virtual school and CAMHS run a joint wellbeing review for every child scoring above 17.'],
    },
  ]),
];
