import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Loopback servers and timing trials share two cores: keep files from starving each other.
    maxWorkers: 2,
  },
});
