import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browser suites need Debian's Chromium (.ci/run installs it). Without it they are excluded —
// loudly: test/global-setup.ts prints why and how to install it.
const browserSuites = fs.existsSync('/usr/bin/chromium') ? [] : ['**/*.browser.test.ts', '**/*.browser.test.tsx'];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...browserSuites],
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
