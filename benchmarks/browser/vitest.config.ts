import { mergeConfig } from 'vitest/config';
import { browserGlobalSetup, defineReprokitConfig } from '../../vitest.shared.ts';

// Node tests that drive Chromium themselves (Playwright), so only the `node` project; the
// global setup installs Chromium (and nginx) when they are missing.
export default mergeConfig(defineReprokitConfig({ include: ['test/**/*.test.ts'] }), {
  test: { globalSetup: [browserGlobalSetup] },
});
