import type { DeterminismAudit } from './determinism-audit.js';
import type { PropertyPatches } from './property-patches.js';

/** Initializer classes that take a `seed`; subclasses (GlorotUniform, HeNormal, ...) inherit `apply`. */
const SEEDED_INITIALIZERS = [
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'VarianceScaling',
  'Orthogonal',
] as const;

type Method = (...args: unknown[]) => unknown;

/** What the hooks ask of the control currently served. */
export interface ExplicitSeedPolicy {
  readonly audit: DeterminismAudit;
  /** Draw from the control stream instead of an explicit initializer or Dropout seed. */
  readonly replaceExplicitSeeds: boolean;
}

/**
 * Wraps the `apply` of seeded initializers and the `call` of `Dropout` (and its subclass
 * `SpatialDropout1D`) so that the active control sees explicit seeds: its audit reports
 * them, or, with `replaceExplicitSeeds`, the seed is hidden for the length of the call so
 * tfjs draws from the control stream (the layer's `seed`, and so its config, is put back
 * right after). The classes come from tfjs' serialization registry, so no layer is
 * constructed (that would bump tfjs' global name counters and change the user's layer names).
 */
export function installExplicitSeedHooks(
  patches: PropertyPatches,
  classNameMap: Record<string, unknown>,
  policy: () => ExplicitSeedPolicy | undefined,
  backendName: () => string | undefined,
): void {
  const wrapped = new Set<object>();
  for (const className of SEEDED_INITIALIZERS) {
    const owner = methodOwner(classNameMap[className], 'apply');
    if (owner === undefined || wrapped.has(owner)) continue;
    wrapped.add(owner);
    patches.replace<Method>(
      owner,
      'apply',
      (original) =>
        function applyWatchingSeed(this: Seeded & { constructor: { name: string } }, ...args) {
          const current = policy();
          current?.audit.checkBackend(backendName());
          if (current?.replaceExplicitSeeds)
            return withoutSeed(this, () => original.apply(this, args));
          current?.audit.checkInitializerSeed(this.seed, initializerName(this));
          return original.apply(this, args);
        },
    );
  }
  const dropoutOwner = methodOwner(classNameMap.Dropout, 'call');
  if (dropoutOwner !== undefined) {
    patches.replace<Method>(
      dropoutOwner,
      'call',
      (original) =>
        function callWatchingSeed(this: Seeded & { name?: string }, ...args) {
          const current = policy();
          const kwargs = args[1] as { training?: unknown } | undefined;
          current?.audit.checkBackend(backendName());
          if (current?.replaceExplicitSeeds)
            return withoutSeed(this, () => original.apply(this, args));
          current?.audit.checkDropoutSeed(
            this.seed,
            this.name ?? 'dropout',
            kwargs?.training === true,
          );
          return original.apply(this, args);
        },
    );
  }
}

interface Seeded {
  seed?: unknown;
}

/** Runs `fn` with `target.seed` unset; tfjs reads the seed synchronously inside the call. */
function withoutSeed<T>(target: Seeded, fn: () => T): T {
  if (target.seed === undefined || target.seed === null) return fn();
  const seed = target.seed;
  target.seed = undefined;
  try {
    return fn();
  } finally {
    target.seed = seed;
  }
}

/** The prototype in the class's chain that owns `method`, from a registry entry `[class, fromConfig]`. */
function methodOwner(entry: unknown, method: string): object | undefined {
  const cls = Array.isArray(entry) ? entry[0] : undefined;
  let prototype: unknown = (cls as { prototype?: unknown } | undefined)?.prototype;
  while (typeof prototype === 'object' && prototype !== null && prototype !== Object.prototype) {
    if (Object.hasOwn(prototype, method)) {
      return typeof (prototype as Record<string, unknown>)[method] === 'function'
        ? prototype
        : undefined;
    }
    prototype = Object.getPrototypeOf(prototype);
  }
  return undefined;
}

function initializerName(initializer: { constructor: { name: string } }): string {
  const className = (initializer.constructor as { className?: unknown }).className;
  return typeof className === 'string' ? className : initializer.constructor.name;
}
