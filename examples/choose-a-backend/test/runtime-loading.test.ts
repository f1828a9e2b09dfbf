import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ClassifierError, createClassifier } from '../src/index.js';

/** An importer that behaves like Node when a package is not installed. */
function missing(specifier: string): Promise<never> {
  const error = new Error(
    `Cannot find package '${specifier}' imported from /app/node_modules/digits/dist/import-runtime.js`,
  ) as Error & { code: string };
  error.code = 'ERR_MODULE_NOT_FOUND';
  return Promise.reject(error);
}

describe('optional runtimes', () => {
  it.each([
    ['tfjs', '@tensorflow/tfjs', 'npm install @tensorflow/tfjs@^4.22.0'],
    ['onnxruntime', 'onnxruntime-node', 'npm install onnxruntime-node@^1.20.0'],
  ] as const)(
    'a missing runtime for %s names the package to install',
    async (backend, name, command) => {
      const asked: string[] = [];
      const failure = await createClassifier({
        backend,
        importModule: (specifier) => {
          asked.push(specifier);
          return missing(specifier);
        },
      }).catch((error: unknown) => error);
      expect(asked).toEqual([name]);
      expect(ClassifierError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'CLASSIFIER_RUNTIME_MISSING', origin: 'classifier' });
      expect((failure as Error).message).toContain(
        `backend '${backend}' needs the package "${name}"`,
      );
      expect((failure as Error).message).toContain(command);
    },
  );

  it('recognises the error Node itself throws for a package that is not installed', async () => {
    // A real dynamic import() in a plain Node process, from a folder with no runtime installed
    // above it (vitest's own module loader would resolve it differently).
    const folder = await mkdtemp(join(tmpdir(), 'no-runtimes-'));
    try {
      const script = join(folder, 'check.mjs');
      const source = pathToFileURL(fileURLToPath(new URL('../src/index.ts', import.meta.url)));
      await writeFile(
        script,
        `import { createClassifier } from ${JSON.stringify(source.href)};
const importModule = (specifier) => import(specifier);
for (const backend of ['tfjs', 'onnxruntime']) {
  const outcome = await createClassifier({ backend, importModule }).then(() => 'loaded', (error) => error.code);
  console.log(backend, outcome);
}
`,
      );
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@reprokit/source', '--import', 'tsx', script],
        { cwd: fileURLToPath(new URL('..', import.meta.url)) },
      );
      expect(stdout.trim().split('\n')).toEqual([
        'tfjs CLASSIFIER_RUNTIME_MISSING',
        'onnxruntime CLASSIFIER_RUNTIME_MISSING',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it('a runtime that is installed but broken is not reported as missing', async () => {
    const broken = Object.assign(
      new Error("Cannot find module './binding/linux/arm64/onnxruntime_binding.node'"),
      {
        code: 'MODULE_NOT_FOUND',
      },
    );
    const failure = await createClassifier({
      backend: 'onnxruntime',
      importModule: () => Promise.reject(broken),
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CLASSIFIER_RUNTIME_FAILED' });
    expect((failure as Error).message).toContain(
      '"onnxruntime-node" is installed but failed to load',
    );
    expect((failure as Error).cause).toBe(broken);
  });

  it('uses the module the importer hands over, and refuses an unknown backend', async () => {
    const ort = await import('onnxruntime-node');
    const classifier = await createClassifier({
      backend: 'onnxruntime',
      importModule: async () => ort,
    });
    expect(classifier.backend).toBe('onnxruntime');
    await classifier.dispose();
    await expect(classifier.classify(new Float32Array(784))).rejects.toMatchObject({
      code: 'CLASSIFIER_DISPOSED',
    });
    await expect(createClassifier({ backend: 'webgpu' as 'tfjs' })).rejects.toMatchObject({
      code: 'CLASSIFIER_INVALID_OPTION',
      message: expect.stringContaining(
        `backend must be one of 'tfjs', 'onnxruntime'; got "webgpu"`,
      ),
    });
  });
});
