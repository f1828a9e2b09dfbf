/**
 * The process exit codes, documented in the README. `diff` is the only command that
 * uses `DIFFERENT`; every command uses `ERROR` for bad input, missing files and bad usage.
 */
export const ExitCode = {
  /** Success; for `diff`, the two inputs are equal within tolerance. */
  OK: 0,
  /** `diff` only: the inputs differ. */
  DIFFERENT: 1,
  /** Any error: unreadable or malformed input, refused conversion, bad arguments. */
  ERROR: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
