import { ReprokitError } from '@reprokit/core';

/** Stable codes of the errors the CLI itself raises (format errors come from the readers). */
export type CliErrorCode =
  | 'CLI_UNKNOWN_FORMAT'
  | 'CLI_UNSUPPORTED_CONVERSION'
  | 'CLI_TEMPLATE_REQUIRED'
  | 'CLI_CAST_REFUSED'
  | 'CLI_CAST_OUT_OF_RANGE'
  | 'CLI_UNKNOWN_MAPPING'
  | 'CLI_BAD_OPTION'
  | 'CLI_MISSING_PEER';

/**
 * An error found by the `reprokit` command: an input it cannot place, an option that
 * makes no sense, a cast refused by `--no-cast`. Always names the file it is about.
 *
 * @example
 * throw new CliError({ code: 'CLI_UNKNOWN_FORMAT', file: 'weights.bin', message: 'unknown format' });
 */
export class CliError extends ReprokitError {
  static override readonly errorName: string = 'CliError';

  constructor(options: {
    code: CliErrorCode;
    message: string;
    file?: string;
    tensor?: string;
    byteOffset?: number;
    cause?: unknown;
  }) {
    super({ ...options, origin: 'cli' });
  }
}
