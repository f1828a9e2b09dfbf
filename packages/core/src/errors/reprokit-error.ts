const marker = Symbol.for('reprokit.error');

/** Where in an input a problem was found. Every field is optional; set what is known. */
export interface ErrorLocation {
  /** File path, or a label such as `<bytes>` for in-memory input. */
  file?: string;
  /** Tensor, weight or initializer name. */
  tensor?: string;
  /** Absolute byte offset into `file`. */
  byteOffset?: number;
}

export interface ReprokitErrorOptions extends ErrorLocation {
  /** Stable machine-readable code, e.g. `SAFETENSORS_HEADER_TOO_LARGE`. */
  code: string;
  /** The component that raised it, e.g. `safetensors`, `tfjs`, `seed`. */
  origin: string;
  message: string;
  cause?: unknown;
}

/**
 * Base class of every error reprokit throws on purpose.
 *
 * `code` is stable across releases and safe to switch on; the message is for people.
 * Use `ReprokitError.isInstance(e)` rather than `instanceof`: it also recognises errors
 * thrown by another copy of the package (two versions installed side by side).
 *
 * @example
 * try { readSafetensors(bytes) } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'SAFETENSORS_TRUNCATED') { ... }
 * }
 */
export class ReprokitError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly origin: string;
  readonly file: string | undefined;
  readonly tensor: string | undefined;
  readonly byteOffset: number | undefined;

  constructor(options: ReprokitErrorOptions) {
    super(
      formatMessage(options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.code = options.code;
    this.origin = options.origin;
    this.file = options.file;
    this.tensor = options.tensor;
    this.byteOffset = options.byteOffset;
  }

  static isInstance(error: unknown): error is ReprokitError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[marker] === true
    );
  }
}

function formatMessage(options: ReprokitErrorOptions): string {
  const where: string[] = [];
  if (options.file !== undefined) where.push(options.file);
  if (options.tensor !== undefined) where.push(`tensor "${options.tensor}"`);
  if (options.byteOffset !== undefined) where.push(`byte ${options.byteOffset}`);
  const location = where.length > 0 ? ` (${where.join(', ')})` : '';
  return `[reprokit] [${options.origin}] ${options.message}${location}`;
}
