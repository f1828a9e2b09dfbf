import type * as tfTypes from '@tensorflow/tfjs';
import type * as ortTypes from 'onnxruntime-node';
import type { DigitClassifier } from './classification.js';
import { ClassifierError } from './classifier-error.js';
import {
  type Backend,
  defaultImporter,
  importRuntime,
  type ModuleImporter,
  RUNTIME_PACKAGES,
} from './import-runtime.js';
import { onnxClassifier } from './onnx-classifier.js';
import { tfjsClassifier } from './tfjs-classifier.js';

export interface CreateClassifierOptions {
  /** `'tfjs'` (needs `@tensorflow/tfjs`) or `'onnxruntime'` (needs `onnxruntime-node`). */
  backend: Backend;
  /**
   * How to import the runtime package; default: dynamic `import()`. Pass your own to hand over
   * an already loaded module or to resolve it from elsewhere.
   */
  importModule?: ModuleImporter;
}

/**
 * Load the bundled MNIST digit classifier into the runtime the user picked. Both backends
 * read the same `model.safetensors` and return the same labels, with logits within 1e-5 of
 * each other. The runtimes are optional peer dependencies, imported only when chosen; a
 * missing one throws `CLASSIFIER_RUNTIME_MISSING` saying what to install.
 *
 * @example
 * const classifier = await createClassifier({ backend: 'onnxruntime' });
 * const { labels } = await classifier.classify(images); // images: 28x28 values in [0, 1]
 * await classifier.dispose();
 */
export async function createClassifier(options: CreateClassifierOptions): Promise<DigitClassifier> {
  const backend = (options as Partial<CreateClassifierOptions> | undefined)?.backend;
  if (backend !== 'tfjs' && backend !== 'onnxruntime') {
    throw new ClassifierError({
      code: 'CLASSIFIER_INVALID_OPTION',
      message: `backend must be one of ${Object.keys(RUNTIME_PACKAGES)
        .map((name) => `'${name}'`)
        .join(', ')}; got ${JSON.stringify(backend)}`,
    });
  }
  const runtime = await importRuntime(backend, options.importModule ?? defaultImporter);
  return backend === 'tfjs'
    ? tfjsClassifier(runtime as typeof tfTypes)
    : onnxClassifier(runtime as typeof ortTypes);
}
