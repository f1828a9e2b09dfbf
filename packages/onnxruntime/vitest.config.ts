import { defineReprokitConfig } from '../../vitest.shared.ts';

// Node runs every test; Chromium runs test/browser/, the root entry on bytes and Blobs.
export default defineReprokitConfig({ browser: { include: ['test/browser/**/*.test.ts'] } });
