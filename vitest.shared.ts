import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests import sibling workspace packages from their TypeScript sources through the
 * `@reprokit/source` export condition, so `pnpm test` needs no build first.
 * See docs/decisions/0003-test-imports-from-source.md.
 */
export const sourceCondition = '@reprokit/source';

export function defineReprokitConfig(overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
    test: {
      include: overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
    },
  });
}
