import { safeReturnPath, startPageOf } from './web-request';

describe("each person's start page", () => {
  it.each([
    [['service-lead'], '/app/your-returns'],
    [['dmt'], '/app/to-review'],
    [['clt'], '/app/escalations'],
    [['performance-team'], '/app/status-board'],
    [['auditor'], '/app/kpis'],
    [['member'], '/app/scorecards'],
    [[], '/app/scorecards'],
    [['auditor', 'service-lead'], '/app/your-returns'],
    [['performance-team', 'dmt'], '/app/to-review'],
  ] as const)('for the roles %j is %s', (roles, page) => {
    expect(startPageOf(roles)).toBe(page);
  });
});

describe('the page to return to after sign-in', () => {
  it('keeps a page of Quarterly, with its query', () => {
    expect(safeReturnPath('/app/returns/ENV-01/2026-27-Q2')).toBe('/app/returns/ENV-01/2026-27-Q2');
    expect(safeReturnPath('/app/your-returns?x=1')).toBe('/app/your-returns?x=1');
  });

  it('never sends anyone to another site or outside the pages', () => {
    for (const hostile of ['https://evil.example/app', '//evil.example/app', '/\\evil.example', '/app@evil.example', '/docs', '/app/../docs', 'javascript:alert(1)', undefined, ['/app']]) {
      expect([hostile, safeReturnPath(hostile)]).toEqual([hostile, '/app']);
    }
  });
});
