import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The page imports the workspace packages from their TypeScript sources (the `@reprokit/source`
 * export condition, as the tests do), so `pnpm demo:web` needs no build first. The wasm binaries
 * of tfjs-backend-wasm and onnxruntime-web, the model files and the MNIST digits are imported
 * with `?url`: Vite serves them in development and copies them into `dist/` in a build.
 */
export default defineConfig({
  resolve: { conditions: ['@reprokit/source', ...defaultClientConditions] },
  // onnxruntime-web ships prebuilt bundles; pre-bundling them again only slows the first load.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
