import { composeDigest, type DigestItem } from './digest.composer';

const item = (overrides: Partial<DigestItem>): DigestItem => ({
  returnId: 'ASC-01:2025/26-Q2',
  kpiId: 'ASC-01',
  kpiTitle: 'Permanent admissions to care homes',
  directorate: 'Adults',
  state: 'due',
  dueDate: '2025-10-14',
  workingDaysOverdue: -3,
  ...overrides,
});

const compose = (items: DigestItem[]) =>
  composeDigest({
    idempotencyKey: 'digest.j.smith.2025-10-17T09:00',
    recipient: { name: 'Jo Smith', email: 'jo.smith@council.example' },
    runDate: '2025-10-17',
    items,
    publicBaseUrl: 'https://quarterly.council.example/',
  });

describe('composeDigest', () => {
  const mail = compose([
    item({}),
    item({ returnId: 'HSG-02:2025/26-Q2', kpiId: 'HSG-02', kpiTitle: 'Homeless <preventions>', state: 'overdue', workingDaysOverdue: 3 }),
    item({ returnId: 'ENV-07:2025/26-Q2', kpiId: 'ENV-07', kpiTitle: 'Fly-tipping', state: 'challenged', detail: 'Q1 figure does not match' }),
    item({ returnId: 'ENV-09:2025/26-Q2', kpiId: 'ENV-09', kpiTitle: 'Recycling', state: 'overdue', workingDaysOverdue: 5 }),
  ]);

  it('addresses one person and summarises every group in the subject', () => {
    expect(mail.to).toEqual([{ name: 'Jo Smith', email: 'jo.smith@council.example' }]);
    expect(mail.subject).toBe('Quarterly returns: 2 returns overdue, 1 return challenged, 1 return due (17 Oct 2025)');
  });

  it('lists overdue returns first, most overdue first, each with a link to the return', () => {
    const lines = mail.text.split('\n');
    const overdue = lines.indexOf('Overdue (2)');
    expect(lines[overdue + 1]).toBe('- ENV-09 Recycling (Adults): was due 14 Oct 2025, 5 working days overdue');
    expect(lines[overdue + 2]).toBe('  https://quarterly.council.example/app/returns/ENV-09/2025-26-Q2');
    expect(lines[overdue + 3]).toContain('HSG-02');
    expect(mail.text.indexOf('Challenged')).toBeLessThan(mail.text.indexOf('Due (1)'));
    expect(mail.text).toContain('due 14 Oct 2025, in 3 working days');
    expect(mail.text).toContain('challenged: Q1 figure does not match');
  });

  it('carries the same returns in the HTML, escaped, with links', () => {
    expect(mail.html).toContain('href="https://quarterly.council.example/app/returns/HSG-02/2025-26-Q2"');
    expect(mail.html).toContain('HSG-02 Homeless &lt;preventions&gt;');
    expect(mail.html).not.toContain('<preventions>');
    for (const id of ['ASC-01', 'HSG-02', 'ENV-07', 'ENV-09']) expect(mail.html).toContain(id);
  });

  it('links to "Your returns" in the web app, in text and HTML', () => {
    expect(mail.text).toContain('  https://quarterly.council.example/app/your-returns\n');
    expect(mail.html).toContain('<a href="https://quarterly.council.example/app/your-returns">See all your returns</a>');
  });

  it('says "due today" on the deadline day', () => {
    expect(compose([item({ workingDaysOverdue: 0 })]).text).toContain('due today (14 Oct 2025)');
  });
});
