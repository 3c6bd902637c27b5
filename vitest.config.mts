import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 cores: a few files at a time; each test file has its own database file and ports.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
