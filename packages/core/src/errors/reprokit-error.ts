/** The global symbol that marks instances of the error class named `errorName`. */
function markerOf(errorName: string): symbol {
  return Symbol.for(`reprokit.error.${errorName}`);
}

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
 * Use `ReprokitError.isInstance(e)` (or `SafetensorsError.isInstance(e)`, ...) rather than
 * `instanceof`: it also recognises errors thrown by another copy of the package (two versions
 * installed side by side). Each class carries its own marker, a global symbol made from its
 * `errorName`, and an instance carries the markers of its class and of every class above it,
 * so `SafetensorsError.isInstance(new SeedError(...))` is `false` and
 * `ReprokitError.isInstance(new SeedError(...))` is `true`.
 *
 * A subclass must declare its own `static readonly errorName` (a test checks every exported
 * class): that name, not the constructor's name, which minifiers rename, is the marker.
 *
 * @example
 * try { readSafetensors(bytes) } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'SAFETENSORS_TRUNCATED') { ... }
 * }
 */
export class ReprokitError extends Error {
  /** Stable name of this class: its marker and `name`. Every subclass sets its own. */
  static readonly errorName: string = 'ReprokitError';

  readonly code: string;
  readonly origin: string;
  /** The message without the `[reprokit] [origin]` prefix and the location, to quote in another error. */
  readonly detail: string;
  readonly file: string | undefined;
  readonly tensor: string | undefined;
  readonly byteOffset: number | undefined;

  constructor(options: ReprokitErrorOptions) {
    super(
      formatMessage(options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.errorName;
    // Mark the instance for every class in its chain that declares its own errorName.
    for (
      let type: unknown = new.target;
      typeof type === 'function' && type !== Error;
      type = Object.getPrototypeOf(type)
    ) {
      if (Object.hasOwn(type, 'errorName')) {
        Object.defineProperty(this, markerOf((type as typeof ReprokitError).errorName), {
          value: true,
        });
      }
    }
    this.code = options.code;
    this.origin = options.origin;
    this.detail = options.message;
    this.file = options.file;
    this.tensor = options.tensor;
    this.byteOffset = options.byteOffset;
  }

  /** Whether `error` is an instance of this class, from any copy of the package. */
  static isInstance<T>(
    this: { readonly errorName: string; readonly prototype: T },
    error: unknown,
  ): error is T {
    return (
      typeof error === 'object' &&
      error !== null &&
      // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass isInstance is called on.
      (error as Record<symbol, unknown>)[markerOf(this.errorName)] === true
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
