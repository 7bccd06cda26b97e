import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Clears CI in the workers (Ink would draw only its last frame); see the file.
    setupFiles: ['test/setup.ts'],
    // The run's own TMPDIR, removed at the end; see the file.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // RSA key generation and subprocess tests are CPU-bound; two cores on CI.
    pool: 'forks',
    // The JSON report lets .ci/run print one plain 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
