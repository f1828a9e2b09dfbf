import { ReprokitError } from '../errors/reprokit-error.js';

/**
 * Stable codes of every error the Python-compatible generators throw.
 *
 * - `PYTHON_RANDOM_INVALID_SEED`: a seed the Python, NumPy or TensorFlow call would refuse, or
 *   one whose Python meaning cannot be reproduced (a NaN float, a string with a lone surrogate).
 * - `PYTHON_RANDOM_INVALID_ARGUMENT`: an argument Python would answer with `ValueError` or
 *   `TypeError` (an empty range, a negative count, a shape that is not a list of sizes).
 * - `PYTHON_RANDOM_EMPTY_POPULATION`: a choice from an empty sequence (Python's `IndexError`).
 * - `PYTHON_RANDOM_INVALID_STATE`: a state that `getstate()` / `get_state()` could not have
 *   returned.
 * - `PYTHON_RANDOM_UNSUPPORTED`: a call whose Python result is not reproduced here (for example
 *   a Keras initializer with an explicit seed); the message says what to do instead.
 */
export type PythonRandomErrorCode =
  | 'PYTHON_RANDOM_INVALID_SEED'
  | 'PYTHON_RANDOM_INVALID_ARGUMENT'
  | 'PYTHON_RANDOM_EMPTY_POPULATION'
  | 'PYTHON_RANDOM_INVALID_STATE'
  | 'PYTHON_RANDOM_UNSUPPORTED';

/**
 * Error thrown by `pythonRandom`, `numpyRandomState`, `tensorflowRandom` and the Keras
 * initializers. `generator` names which one (`'python'`, `'numpy'`, `'tensorflow'`, `'keras'`)
 * and `call` the Python-side call it mirrors, so the message reads like the Python error would.
 *
 * @example
 * try { pythonRandom(1).randrange(0) } catch (e) {
 *   if (PythonRandomError.isInstance(e)) console.log(e.code); // 'PYTHON_RANDOM_INVALID_ARGUMENT'
 * }
 */
export class PythonRandomError extends ReprokitError {
  static override readonly errorName: string = 'PythonRandomError';

  declare readonly code: PythonRandomErrorCode;
  readonly generator: string;
  readonly call: string | undefined;

  constructor(options: {
    code: PythonRandomErrorCode;
    generator: 'python' | 'numpy' | 'tensorflow' | 'keras';
    call?: string;
    message: string;
    cause?: unknown;
  }) {
    const where = options.call === undefined ? '' : `${options.call}: `;
    super({
      code: options.code,
      origin: `python-random/${options.generator}`,
      message: `${where}${options.message}`,
      cause: options.cause,
    });
    this.generator = options.generator;
    this.call = options.call;
  }
}
