import { ReprokitError } from '../errors/index.js';

/**
 * Stable codes of every error the seed area throws.
 *
 * - `SEED_INVALID`: a seed that is not an integer in 0..2^32-1 or a non-empty string.
 * - `SEED_INVALID_PATH`: a `deriveSeed` path part that is not a non-empty string.
 * - `SEED_MISSING`: `seedEverything()` without a seed and without `REPROKIT_SEED`.
 * - `SEED_INVALID_STATE`: a PRNG state that is not one `Rng.state()` could have returned.
 * - `SEED_NOT_SEEDED`: a control asked for its state before it was seeded.
 * - `SEED_INVALID_CONTROL`: a control without a usable name, or two controls with one name.
 * - `SEED_CONTROL_FAILED`: a control threw while being seeded or restored.
 * - `SEED_UNSUPPORTED`: a snapshot or restore of a control that cannot do it.
 * - `SEED_INVALID_SNAPSHOT`: a snapshot that is not `{ root, controls }`.
 * - `SEED_SNAPSHOT_MISMATCH`: a snapshot taken with another root or another set of controls.
 * - `SEED_SCOPE_RELEASED`: a scope used after `release()`.
 */
export type SeedErrorCode =
  | 'SEED_INVALID'
  | 'SEED_INVALID_PATH'
  | 'SEED_MISSING'
  | 'SEED_INVALID_STATE'
  | 'SEED_NOT_SEEDED'
  | 'SEED_INVALID_CONTROL'
  | 'SEED_CONTROL_FAILED'
  | 'SEED_UNSUPPORTED'
  | 'SEED_INVALID_SNAPSHOT'
  | 'SEED_SNAPSHOT_MISMATCH'
  | 'SEED_SCOPE_RELEASED';

export interface SeedErrorOptions {
  code: SeedErrorCode;
  message: string;
  /** Name of the seed control concerned, when there is one. */
  control?: string;
  cause?: unknown;
}

/**
 * Error thrown by seed derivation, PRNG state handling and `seedEverything` scopes.
 *
 * `code` is one of `SeedErrorCode`; `control` names the seed control concerned (also in the
 * message), so a failed restore says which source of randomness refused its state.
 *
 * @example
 * try { scope.restore(snapshot) } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'SEED_SNAPSHOT_MISMATCH') console.log(e.message);
 * }
 */
export class SeedError extends ReprokitError {
  static override readonly errorName: string = 'SeedError';

  override readonly code: SeedErrorCode;
  readonly control: string | undefined;

  constructor(options: SeedErrorOptions) {
    const where = options.control === undefined ? '' : `control "${options.control}": `;
    super({
      code: options.code,
      origin: 'seed',
      message: `${where}${options.message}`,
      cause: options.cause,
    });
    this.code = options.code;
    this.control = options.control;
  }
}

/** A short, bounded rendering of a bad value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${String(value)}${typeof value === 'bigint' ? 'n' : ''} (${typeof value})`;
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}
