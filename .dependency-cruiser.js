/**
 * Layer rules, checked on every test run (`npm run lint:deps`).
 * The domain is pure: no framework, no I/O, no other lib. Libraries never reach into apps.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain holds deciders and rules only: no NestJS, no drivers, no I/O, no other lib.',
      severity: 'error',
      from: { path: '^libs/domain/src' },
      to: {
        pathNot: ['^libs/domain/src', 'node_modules/decimal\\.js', 'node_modules/fast-check', 'node_modules/@types/'],
      },
    },
    {
      name: 'domain-uses-no-node-builtins',
      severity: 'error',
      from: { path: '^libs/domain/src', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'application-is-not-a-door',
      comment:
        'libs/application holds the use cases every door calls (API, pages, demo, worker): it may use the domain, the ' +
        'executor and the read side, and @nestjs/cqrs for its commands, but nothing of HTTP (Nest core/HTTP, Express, ' +
        'Swagger, HTTP exceptions, the platform\'s HTTP parts and auth guards) and no door (apps, the demo, the reminder worker).',
      severity: 'error',
      from: { path: '^libs/application/src' },
      to: {
        path: [
          '^apps/',
          '^libs/(demo|reminders|notifications)/',
          'node_modules/@nestjs/(core|platform-express|swagger|common)/',
          'node_modules/(express|body-parser|supertest)/',
          // The platform's HTTP parts, and its barrel (which re-exports them): import its
          // commands/, engine/, workflow/, config/ and auth/principal by path.
          '^libs/platform/src/index\\.ts$',
          '^libs/platform/src/http/',
          '^libs/platform/src/auth/(?!principal\\.ts$)',
        ],
      },
    },
    {
      name: 'nothing-below-the-application-layer-imports-it',
      comment: 'domain ← application ← doors: the domain, the store, the read models and the platform know nothing of the use cases.',
      severity: 'error',
      from: { path: '^libs/(domain|event-store|read-models|calendar|notifications|platform)/' },
      to: { path: '^libs/application/' },
    },
    {
      name: 'event-codec-knows-only-domain-and-store',
      comment: 'libs/event-codec decodes stored events into the domain union: it sits just above those two and below every reader.',
      severity: 'error',
      from: { path: '^libs/event-codec/src' },
      to: { path: '^libs/', pathNot: ['^libs/(event-codec|domain|event-store)/src'] },
    },
    {
      name: 'event-store-knows-no-domain',
      comment: 'libs/event-store stores and chains any events; what they mean is for the layers above.',
      severity: 'error',
      from: { path: '^libs/event-store/src' },
      to: { path: '^libs/', pathNot: '^libs/event-store/src' },
    },
    {
      name: 'spreadsheet-import-is-shared-below-the-imports',
      comment:
        'libs/spreadsheet-import is what every import shares (the file reader, queued jobs): it knows no particular import, ' +
        'no use case and no door.',
      severity: 'error',
      from: { path: '^libs/spreadsheet-import/src' },
      to: { path: '^libs/(register-import|past-figures-import|application|demo|reminders)/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      comment: 'The API may host the worker module in embedded mode; nothing else crosses apps.',
      severity: 'error',
      from: { path: '^apps/(cli|worker)/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'api-does-not-import-pages',
      comment:
        'The web pages (apps/api/src/web) are a door of their own beside the JSON API: only the module that hosts them ' +
        '(api.module.ts) and the bootstrap that configures them import them, so either door can change alone.',
      severity: 'error',
      from: { path: '^apps/api/src/', pathNot: ['^apps/api/src/web/', '^apps/api/src/api\\.module\\.ts$', '^apps/api/src/bootstrap/'] },
      // One exception: a scorecard's PDF is its print page printed, so the exporter renders that template.
      to: { path: '^apps/api/src/web/', pathNot: '^apps/api/src/web/shared/page-renderer\\.ts$' },
    },
    {
      name: 'pages-call-commands-through-one-gateway',
      comment:
        'Page controllers reach the workflow through ReturnWorkflowGateway (one adapter to the command bus), never a ' +
        'command handler or another controller directly.',
      severity: 'error',
      from: { path: '^apps/api/src/web/' },
      to: { path: ['^apps/api/src/[^/]+/commands/.+\\.handler\\.ts$', '^apps/api/src/[^/]+/[^/]+\\.controller\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { pathNot: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '^test/', '/testing/'] },
      to: { path: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '^test/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stay in the graph as leaves (not followed), so the rules can name packages.
    exclude: { path: ['^dist/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
