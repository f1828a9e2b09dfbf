export {
  type Classification,
  type DigitClassifier,
  labelsFromLogits,
} from './classification.js';
export { ClassifierError, type ClassifierErrorCode } from './classifier-error.js';
export { type CreateClassifierOptions, createClassifier } from './create-classifier.js';
export type { DigitInput } from './digit-input.js';
export { type Backend, type ModuleImporter, RUNTIME_PACKAGES } from './import-runtime.js';
export { CLASSES, IMAGE_SIZE, MODEL_FILES } from './model-files.js';
