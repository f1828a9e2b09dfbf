/**
 * Bundles every runtime-neutral entry of every published package (the root, and subpaths
 * such as `/python` and `/internal`; not `/node`) for browsers with esbuild
 * (`platform: 'browser'`, from the built `dist/`), as a user's bundler would, and fails if any
 * of them pulls in a Node built-in. Peer dependencies (TensorFlow.js, ONNX Runtime, h5wasm) stay
 * external: the user's app brings them. Prints the minified and gzipped size of each bundle,
 * and of a bundle that imports only `seedEverything` from core (tree-shaking), and fails when
 * core's sizes pass their targets. Bundles are split as apps split them (esbuild `splitting`):
 * what an `import` of the entry loads is counted apart from chunks it imports lazily (keras
 * imports h5wasm, HDF5 compiled to wasm, on first use). Run after `pnpm build`: `pnpm check:browser`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
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
  /** Module source to bundle (bundled whole), or `entry`: a file bundled with splitting. */
  source?: string;
  entry?: string;
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
      entry: join(resolveDir, file),
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
console.log(
  '| bundle (esbuild, platform browser, minified) | min | min+gzip | target | lazily imported chunks, min+gzip |',
);
console.log('|---|---|---|---|---|');
for (const target of targets) {
  try {
    const sizes = await bundleSizes(target);
    const over = target.limit !== undefined && sizes.gzipped > target.limit;
    if (over) failed = true;
    console.log(
      `| ${target.label} | ${(sizes.bytes / 1000).toFixed(1)} kB | ${(sizes.gzipped / 1000).toFixed(1)} kB | ${
        target.limit === undefined ? '' : `<= ${target.limit / 1000} kB${over ? ' **OVER**' : ''}`
      } | ${sizes.lazyGzipped === 0 ? '' : `${(sizes.lazyGzipped / 1000).toFixed(1)} kB`} |`,
    );
  } catch (error) {
    failed = true;
    const messages =
      (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> })
        .errors ?? [];
    console.log(`| ${target.label} | FAILED | | | |`);
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

/**
 * Sizes of what importing `target` loads (its chunk and every chunk it imports statically) and
 * of the chunks it imports dynamically, minified, gzip level 9 per chunk.
 */
async function bundleSizes(
  target: Target,
): Promise<{ bytes: number; gzipped: number; lazyGzipped: number }> {
  const result = await build({
    ...(target.entry === undefined
      ? { stdin: { contents: target.source ?? '', resolveDir: target.resolveDir, loader: 'js' } }
      : { entryPoints: [target.entry], splitting: true, outdir: join(root, '.bundle-check') }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    treeShaking: true,
    metafile: target.entry !== undefined,
    external: target.external,
    logLevel: 'silent',
  });
  if (target.entry === undefined) {
    const contents = result.outputFiles[0]!.contents; // one file: nothing split off
    return {
      bytes: contents.length,
      gzipped: gzipSync(contents, { level: 9 }).length,
      lazyGzipped: 0,
    };
  }
  const outputs = result.metafile.outputs;
  const files = new Map(result.outputFiles.map((file) => [relativeOutput(file.path), file]));
  const entry =
    Object.keys(outputs).find((name) => outputs[name]!.entryPoint !== undefined) ??
    Object.keys(outputs)[0]!;
  const loaded = new Set<string>();
  const visit = (name: string) => {
    if (loaded.has(name)) return;
    loaded.add(name);
    for (const imported of outputs[name]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  let bytes = 0;
  let gzipped = 0;
  let lazyGzipped = 0;
  for (const [name, file] of files) {
    const zipped = gzipSync(file.contents, { level: 9 }).length;
    if (loaded.has(name)) {
      bytes += file.contents.length;
      gzipped += zipped;
    } else {
      lazyGzipped += zipped;
    }
  }
  return { bytes, gzipped, lazyGzipped };
}

/** An output file's path as the metafile names it (relative to the working directory). */
function relativeOutput(path: string): string {
  return relative(process.cwd(), path);
}
