/**
 * Bundles the benchmark page (`page/bench-page.ts`) with esbuild into the folder nginx serves,
 * with an `index.html` and the WebAssembly files of tfjs' wasm backend and onnxruntime-web.
 * reprokit's packages are bundled from their TypeScript sources (the `@reprokit/source`
 * condition, as the tests import them), so no build of theirs is needed.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

export async function buildPage(root: string): Promise<void> {
  const assets = join(root, 'assets');
  await mkdir(join(assets, 'tfjs'), { recursive: true });
  await mkdir(join(assets, 'ort'), { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./page/bench-page.ts', import.meta.url))],
    outfile: join(assets, 'bench-page.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@reprokit/source'],
    logLevel: 'error',
  });
  const tfjsWasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  for (const file of [
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ]) {
    await copyFile(join(tfjsWasm, 'dist', file), join(assets, 'tfjs', file));
  }
  for (const file of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
    await copyFile(require.resolve(`onnxruntime-web/${file}`), join(assets, 'ort', file));
  }
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>reprokit browser bench</title><script type="module" src="/assets/bench-page.js"></script>\n',
  );
}
