import { fileURLToPath } from 'node:url';
import { defineReprokitConfig } from '../../vitest.shared.ts';

// Node runs every test but `*.browser.test.ts`. Chromium runs the cross-environment check: the
// demo's MLP trained in the page against the fingerprints Node computed in the same run.
export default defineReprokitConfig({
  browser: {
    include: ['test/cross-environment/**/*.browser.test.ts'],
    globalSetup: [
      fileURLToPath(new URL('./test/cross-environment/provide-node-training.ts', import.meta.url)),
    ],
  },
});
