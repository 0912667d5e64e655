// End-to-end tests of the built page (dist-web/, built once by e2e/global-setup.ts) in Debian's
// chromium. Each spec serves the page and its checkpoints with lightsnap's own serveDirectory
// (as `lightsnap demo` does) and reads that server's request log.
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs } from './vitest.config.js';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [['list'], ['json']],
  outputDir: 'test-results/e2e',
  projects: [{
    name: 'chromium',
    use: {
      ...devices['Desktop Chrome'],
      viewport: { width: 1100, height: 900 },
      launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
    },
  }],
});
