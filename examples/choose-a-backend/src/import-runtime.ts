import { ClassifierError } from './classifier-error.js';

/** How a module is imported; `createClassifier` accepts another one (tests, bundlers). */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** The plain dynamic `import()`. */
export const defaultImporter: ModuleImporter = (specifier) => import(specifier);

/** The optional peer dependency behind each backend, and the range this package supports. */
export const RUNTIME_PACKAGES = {
  tfjs: { name: '@tensorflow/tfjs', range: '^4.22.0' },
  onnxruntime: { name: 'onnxruntime-node', range: '^1.20.0' },
} as const;

export type Backend = keyof typeof RUNTIME_PACKAGES;

/**
 * Import the runtime a backend needs. A runtime that is not installed throws
 * `CLASSIFIER_RUNTIME_MISSING` with the install command; one that is installed but fails to
 * load (a native binding for another platform, say) throws `CLASSIFIER_RUNTIME_FAILED` with
 * the original error as `cause`.
 *
 * @example
 * const ort = await importRuntime('onnxruntime', defaultImporter);
 */
export async function importRuntime(backend: Backend, importer: ModuleImporter): Promise<unknown> {
  const runtime = RUNTIME_PACKAGES[backend];
  try {
    return await importer(runtime.name);
  } catch (cause) {
    if (isNotFound(cause, runtime.name)) {
      throw new ClassifierError({
        code: 'CLASSIFIER_RUNTIME_MISSING',
        message: `backend '${backend}' needs the package "${runtime.name}", which is not installed; install it next to this package: npm install ${runtime.name}@${runtime.range}`,
        cause,
      });
    }
    throw new ClassifierError({
      code: 'CLASSIFIER_RUNTIME_FAILED',
      message: `backend '${backend}': "${runtime.name}" is installed but failed to load: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  }
}

/** Node's "cannot find this package" (ESM or CommonJS), for this package and not a dependency of it. */
function isNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = error instanceof Error ? error.message : '';
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}
