import { defineReprokitConfig } from '../../vitest.shared.ts';

// Node runs every test but `*.browser.test.ts`. Chromium runs test/browser/: a safetensors
// checkpoint loaded in a page into tfjs and onnxruntime-web.
export default defineReprokitConfig({ browser: { include: ['test/browser/**/*.test.ts'] } });
