import { defineConfig } from 'vitest/config';

// `vitest` from the root runs every workspace package as its own project.
export default defineConfig({
  test: { projects: ['packages/*', 'apps/*', 'examples/*', 'benchmarks/*'] },
});
