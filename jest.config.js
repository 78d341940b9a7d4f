// One Jest config, three projects: pure unit tests, integration tests against real
// infrastructure (SQLite files, PostgreSQL, Redis, SMTP on loopback), and end-to-end HTTP tests.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@quarterly/testing(/.*)?$': '<rootDir>/test/support$1',
  '^@quarterly/([a-z-]+)(/.*)?$': '<rootDir>/libs/$1/src$2',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};

module.exports = {
  // Real servers on a 2-core machine, two suites at a time: a generous bound, never relied upon
  // for speed (benchmarks measure that).
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps}/**/*.spec.ts', '<rootDir>/test/acceptance/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,apps}/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
