import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const services = ['connector', 'sync', 'availability', 'booking', 'notification', 'assistant'];

const depConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain'] },
  {
    sourceTag: 'type:infra',
    onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:domain'],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:domain'],
  },
  // The client package is what callers outside install: it stands on its own.
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: [] },
  {
    sourceTag: 'type:service',
    onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:domain', 'type:testing'],
  },
  ...services.map((service) => ({
    sourceTag: `scope:${service}`,
    notDependOnLibsWithTags: services
      .filter((other) => other !== service)
      .map((other) => `scope:${other}`),
  })),
];

const clockMessage =
  'Read the time from the injected Clock (`CLOCK` from @cs/eventing); only the system clock ' +
  'provider, `systemClock` in libs/eventing/src/clock.ts, reads the machine clock. Timers and ' +
  '`performance.now()` for measuring durations (metrics, heartbeats) may stay.';

const infrastructureModules = [
  '@nestjs/*',
  'pg',
  '@nats-io/*',
  'nestjs-pino',
  'prom-client',
  '@cs/eventing',
  '@cs/platform',
  '@cs/testing',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    // Tests drive a library through its public entry point and use the shared test helpers.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: ['@cs/*'], depConstraints },
      ],
    },
  },
  {
    // Nest's DI reads constructor parameter types at run time, so those imports must stay values.
    files: ['services/**/*.ts', 'libs/platform/**/*.ts', 'libs/eventing/src/nest/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      'libs/testing/**',
      'libs/eventing/src/clock.ts',
      // Runs in the browser: "now" there is the viewer's clock.
      'services/availability/src/features/web-week/page/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: clockMessage,
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: clockMessage,
        },
      ],
    },
  },
  {
    files: [
      'services/*/src/domain/**/*.ts',
      'libs/scheduling/**/*.ts',
      'libs/ical/**/*.ts',
      'libs/contracts/**/*.ts',
    ],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: infrastructureModules,
              message: 'Domain code is pure: no NestJS, database, bus or adapters.',
            },
            {
              group: ['**/infrastructure/**', '**/features/**'],
              message: 'Domain code may not import adapters or slices.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Domain code takes `now` as an input.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Domain code takes `now` as an input.',
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Domain code takes configuration as an input.',
        },
      ],
    },
  },
  prettier,
);
