/**
 * Bundles every runtime-neutral entry of every published package (the root, and subpaths
 * such as `/python` and `/internal`; not `/node`) for browsers with esbuild
 * (`platform: 'browser'`, from the built `dist/`), as a user's bundler would, and fails if any
 * of them pulls in a Node built-in. Peer dependencies (TensorFlow.js, ONNX Runtime, h5wasm) stay
 * external: the user's app brings them. Prints the minified and gzipped size of each bundle,
 * and of a bundle that imports only `seedEverything` from core (tree-shaking), and fails when
 * core's sizes pass their targets. Run after `pnpm build`: `pnpm check:browser`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  bin?: unknown;
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}

interface Target {
  label: string;
  source: string;
  resolveDir: string;
  external: string[];
  limit?: number;
}

const targets: Target[] = [];
for (const folder of readdirSync(packagesDir).sort()) {
  const manifestPath = join(packagesDir, folder, 'package.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    continue;
  }
  if (manifest.private === true) continue;
  const resolveDir = join(packagesDir, folder);
  const external = Object.keys(manifest.peerDependencies ?? {}).flatMap((name) => [
    name,
    `${name}/*`,
  ]);
  // Every entry but ./node (and package.json): the root and runtime-neutral subpaths.
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './node' || subpath === './package.json') continue;
    const file = (target as { default?: string }).default;
    if (file === undefined) continue;
    targets.push({
      label: `${manifest.name}${subpath === '.' ? '' : subpath.slice(1)} (whole entry)`,
      source: `export * from ${JSON.stringify(join(resolveDir, file))};`,
      resolveDir,
      external,
      ...(manifest.name === '@reprokit/core' && subpath === '.' ? { limit: 40_000 } : {}),
    });
  }
  if (manifest.name === '@reprokit/core') {
    targets.push({
      label: '@reprokit/core, seedEverything only',
      source: `import { seedEverything } from ${JSON.stringify(join(resolveDir, 'dist/index.js'))}; globalThis.seed = seedEverything;`,
      resolveDir,
      external,
      limit: 8_000,
    });
  }
}

let failed = false;
console.log('| bundle (esbuild, platform browser, minified) | min | min+gzip | target |');
console.log('|---|---|---|---|');
for (const target of targets) {
  try {
    const result = await build({
      stdin: { contents: target.source, resolveDir: target.resolveDir, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      treeShaking: true,
      external: target.external,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    const over = target.limit !== undefined && gzipped > target.limit;
    if (over) failed = true;
    console.log(
      `| ${target.label} | ${(bytes.length / 1000).toFixed(1)} kB | ${(gzipped / 1000).toFixed(1)} kB | ${
        target.limit === undefined ? '' : `<= ${target.limit / 1000} kB${over ? ' **OVER**' : ''}`
      } |`,
    );
  } catch (error) {
    failed = true;
    const messages =
      (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> })
        .errors ?? [];
    console.log(`| ${target.label} | FAILED | | |`);
    for (const message of messages) {
      console.error(
        `  ${message.location === undefined ? '' : `${message.location.file}:${message.location.line}: `}${message.text}`,
      );
    }
    if (messages.length === 0) console.error(error);
  }
}
if (failed) {
  console.error(
    '\nbrowser bundle check failed: a root entry imports a Node built-in, or a size target is missed',
  );
  process.exit(1);
}
console.log('\nevery published root entry bundles for browsers');
