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
