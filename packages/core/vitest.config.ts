import { defineReprokitConfig } from '../../vitest.shared.ts';

// Node runs every test; Chromium runs the ones that need no Node (not *.node.test.ts): the
// codec, seed, mapping and byte-source tests, in a real browser.
export default defineReprokitConfig({ browser: true });
