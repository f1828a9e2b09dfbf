import { ReprokitError } from '@reprokit/core';

/** Codes of the errors `createClassifier` and `classify` throw. */
export type ClassifierErrorCode =
  | 'CLASSIFIER_INVALID_OPTION'
  | 'CLASSIFIER_RUNTIME_MISSING'
  | 'CLASSIFIER_RUNTIME_FAILED'
  | 'CLASSIFIER_INVALID_INPUT'
  | 'CLASSIFIER_DISPOSED';

/** An error of the digit classifier, with a stable `CLASSIFIER_*` code and origin `classifier`. */
export class ClassifierError extends ReprokitError {
  static override readonly errorName: string = 'ClassifierError';

  declare readonly code: ClassifierErrorCode;

  constructor(options: {
    code: ClassifierErrorCode;
    message: string;
    file?: string;
    cause?: unknown;
  }) {
    super({ ...options, origin: 'classifier' });
  }
}

/** The error `classify` throws after `dispose()`. */
export function disposedError(): ClassifierError {
  return new ClassifierError({
    code: 'CLASSIFIER_DISPOSED',
    message: 'classify() after dispose(); create a new classifier',
  });
}
