import { defineReprokitConfig } from '../../vitest.shared.ts';

// One Node project: the tests build the page with Vite and drive Chromium themselves
// (test/page.node.test.ts), so no vitest browser project is needed.
export default defineReprokitConfig({ include: ['test/**/*.test.ts'] });
