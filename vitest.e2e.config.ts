// End-to-end tests: real builds of generated pipelines under QEMU. They
// are slow and need root, Docker and binfmt_misc, so `npm test` leaves
// them out and `npm run test:e2e` runs them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // The files share one daemon, one registry and the kernel's binfmt_misc
    // handlers, which the legacy tests change for a while.
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
