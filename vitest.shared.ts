import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests import sibling workspace packages from their TypeScript sources through the
 * `@reprokit/source` export condition, so `pnpm test` needs no build first.
 * See docs/decisions/0003-test-imports-from-source.md.
 */
export const sourceCondition = '@reprokit/source';

/** Chromium from Debian's package; `scripts/install-system-packages.sh` installs it. */
export const chromiumPath = process.env.REPROKIT_CHROMIUM ?? '/usr/bin/chromium';

/** Runs once before a package's browser tests: installs Chromium when it is missing. */
export const browserGlobalSetup = fileURLToPath(
  new URL('./scripts/browser-global-setup.ts', import.meta.url),
);

export interface ReprokitConfigOptions {
  testTimeout?: number;
  include?: string[];
  /**
   * Also run tests in headless Chromium (vitest browser mode through Playwright): the files of
   * `include` (default: the Node project's) except `*.node.test.ts`, which need Node.
   * `*.browser.test.ts` files run in Chromium only.
   */
  browser?:
    | boolean
    | {
        include?: string[];
        testTimeout?: number;
        /** More globalSetup files for the chromium project (run in Node, e.g. to `provide` values). */
        globalSetup?: string[];
      };
}

/**
 * The vitest config of a package: a `node` project, and with `browser` a `chromium` project too.
 * Chromium runs headless with SwiftShader for WebGL and without its background services (the
 * machine's network is closed), and without its sandbox when running as root.
 */
export function defineReprokitConfig(overrides: ReprokitConfigOptions = {}) {
  const include = overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'];
  const node = {
    extends: true as const,
    test: {
      name: 'node',
      include,
      // `*.browser.test.ts` need a page (a DOM, fetch of served files): only the chromium project runs them.
      exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
      // Sized for a machine 5x slower than the 2-core one the suites were measured on, busy
      // with other work: many tests start child processes (the CLI, training, Python).
      testTimeout: overrides.testTimeout ?? 300_000,
      hookTimeout: 300_000,
      pool: 'forks' as const,
    },
  };
  const browser =
    overrides.browser === undefined || overrides.browser === false
      ? undefined
      : overrides.browser === true
        ? {}
        : overrides.browser;
  const projects: object[] = [node];
  if (browser !== undefined) {
    const runningAsRoot = process.getuid?.() === 0;
    projects.push({
      extends: true,
      test: {
        name: 'chromium',
        include: browser.include ?? include,
        exclude: ['**/*.node.test.ts', '**/node_modules/**'],
        testTimeout: browser.testTimeout ?? overrides.testTimeout ?? 300_000,
        hookTimeout: 300_000,
        globalSetup: [browserGlobalSetup, ...(browser.globalSetup ?? [])],
        browser: {
          enabled: true,
          headless: true,
          screenshotFailures: false,
          provider: playwright({
            launchOptions: {
              executablePath: chromiumPath,
              args: [
                ...(runningAsRoot ? ['--no-sandbox'] : []),
                '--use-angle=swiftshader',
                '--enable-unsafe-swiftshader',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
                '--disable-quic',
                '--no-first-run',
              ],
            },
          }),
          instances: [{ browser: 'chromium' }],
        },
      },
    });
  }
  return defineConfig({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
    test: { projects },
  });
}

/** Whether this machine can run the browser tests now (Chromium present). */
export const chromiumInstalled = existsSync(chromiumPath);
