import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => resolve(__dirname, `libs/${name}/src/index.ts`);

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@cs/contracts': lib('contracts'),
      '@cs/eventing': lib('eventing'),
      '@cs/platform': lib('platform'),
      '@cs/scheduling': lib('scheduling'),
      '@cs/ical': lib('ical'),
      '@cs/testing': lib('testing'),
    },
  },
  test: {
    include: ['libs/**/*.spec.ts', 'services/**/*.spec.ts', 'tests/**/*.spec.ts'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
