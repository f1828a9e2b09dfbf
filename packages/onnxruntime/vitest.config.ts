import { fileURLToPath } from 'node:url';
import { defineReprokitConfig } from '../../vitest.shared.ts';

// Node runs every test; Chromium runs test/browser/, the root entry on bytes and Blobs, after a
// globalSetup that computes onnxruntime-node's outputs for the page to compare with.
export default defineReprokitConfig({
  browser: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: [
      fileURLToPath(
        new URL('./test/browser/provide-onnxruntime-node-reference.ts', import.meta.url),
      ),
    ],
  },
});
