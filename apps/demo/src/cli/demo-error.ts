import { ReprokitError } from '@reprokit/core';

/** Codes of the errors the demo raises itself (bad flags, a failed child process). */
export type DemoErrorCode =
  | 'DEMO_INVALID_OPTION'
  | 'DEMO_WORKER_FAILED'
  | 'DEMO_WORKER_OUTPUT'
  | 'DEMO_DATA_UNAVAILABLE'
  | 'DEMO_BACKEND_UNAVAILABLE';

/** An error of the demo app, with a stable `DEMO_*` code and origin `demo`. */
export class DemoError extends ReprokitError {
  static override readonly errorName: string = 'DemoError';

  declare readonly code: DemoErrorCode;

  constructor(options: { code: DemoErrorCode; message: string; file?: string; cause?: unknown }) {
    super({ ...options, origin: 'demo' });
  }
}
