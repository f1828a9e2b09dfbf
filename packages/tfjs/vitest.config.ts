import { defineReprokitConfig } from '../../vitest.shared.ts';

// Node runs every test. Chromium runs the seed-control and checkpoint-adapter conformance
// suites on cpu, wasm and webgl (test/backends/tfjs-test-backends.ts), and test/browser/.
export default defineReprokitConfig({
  browser: {
    include: [
      'test/seed/tfjs-seed-control-conformance.test.ts',
      'test/checkpoint/tfjs-checkpoint-conformance.test.ts',
      'test/browser/**/*.test.ts',
    ],
  },
});
