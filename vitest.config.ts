import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration files isolate themselves (own schema, own queue prefix), so they run in parallel.
    pool: 'forks',
    // A hang guard, not a speed check: a browser test signing three people in (each a password hash) with
    // axe and screenshots took 36 s once while the other files ran beside it on 2 cores.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
