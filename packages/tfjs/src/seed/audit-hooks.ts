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

/**
 * Wraps the `apply` of seeded initializers and the `call` of `Dropout` (and its subclass
 * `SpatialDropout1D`) so the audit of the active control (`audit()`) sees explicit seeds. The classes come from tfjs'
 * serialization registry, so no layer is constructed (that would bump tfjs' global name
 * counters and change the user's layer names). The wrappers only observe; tfjs' own
 * method does the work.
 */
export function installAuditHooks(
  patches: PropertyPatches,
  classNameMap: Record<string, unknown>,
  audit: () => DeterminismAudit | undefined,
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
        function applyWithAudit(this: { seed?: unknown; constructor: { name: string } }, ...args) {
          const current = audit();
          current?.checkBackend(backendName());
          current?.checkInitializerSeed(this.seed, initializerName(this));
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
        function callWithAudit(this: { seed?: unknown; name?: string }, ...args) {
          const kwargs = args[1] as { training?: unknown } | undefined;
          const current = audit();
          current?.checkBackend(backendName());
          current?.checkDropoutSeed(this.seed, this.name ?? 'dropout', kwargs?.training === true);
          return original.apply(this, args);
        },
    );
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
