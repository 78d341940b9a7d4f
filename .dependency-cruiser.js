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
      to: { path: '^apps/api/src/web/' },
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
    exclude: { path: ['^dist/', 'node_modules/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
