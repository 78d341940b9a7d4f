import { composeEscalation } from './escalation.composer';

describe('composeEscalation', () => {
  const mail = composeEscalation({
    idempotencyKey: 'escalation.1',
    addressees: {
      to: [{ personId: 's.lead', name: 'Sam <Lead>', email: 'sam.lead@council.example' }],
      cc: [{ personId: 'c.exec', name: 'Chris Exec', email: 'chris.exec@council.example' }],
    } as never,
    returnId: 'ENV-02:2026/27-Q2',
    kpiId: 'ENV-02',
    kpiTitle: 'Fly-tipping & graffiti',
    directorate: 'Place',
    level: 'clt',
    reason: '4 working days overdue (due 14 Oct 2026)',
    escalatedOn: '2026-10-20',
    publicBaseUrl: 'https://quarterly.council.example',
  });

  it("links to the return's page and says how to respond, in text and HTML", () => {
    expect(mail.text).toContain('Open the return to see the figure and its history, and to act on it: https://quarterly.council.example/app/returns/ENV-02/2026-27-Q2\n');
    expect(mail.html).toContain('<a href="https://quarterly.council.example/app/returns/ENV-02/2026-27-Q2">Open the return</a>');
    expect(mail.subject).toBe('Escalated to CLT: ENV-02 Fly-tipping & graffiti');
  });

  it('escapes what people wrote in the HTML, and keeps it as written in the text', () => {
    expect(mail.html).toContain('ENV-02 Fly-tipping &amp; graffiti</a> (Place) has been escalated to the corporate leadership team (CLT) on 20 Oct 2026.');
    expect(mail.text).toContain('ENV-02 Fly-tipping & graffiti (Place) has been escalated');
    expect(mail.text).toContain('Copied to: Chris Exec\n');
  });
});
