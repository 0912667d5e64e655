import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Flags Debian's chromium needs here: root (no sandbox), no GPU, and no background traffic
// on a closed network (TOOLCHAIN.md §7).
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink', 'idb-keyval'] },
  test: {
    setupFiles: ['test/setup-cores.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node', environment: 'node',
          include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.test.ts'], exclude: ['test/**/*.node.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true, headless: true,
            provider: playwright({ launchOptions: {
              executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
