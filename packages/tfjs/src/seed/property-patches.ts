/**
 * Records every property this control replaces so that `release()` can put back the exact
 * original (identity, not a copy) and remove own properties it added over an inherited one.
 */
export class PropertyPatches {
  private readonly applied: {
    target: object;
    key: PropertyKey;
    hadOwn: boolean;
    original: PropertyDescriptor | undefined;
  }[] = [];

  /**
   * Replace `target[key]` with `make(current)`. Returns false, changing nothing, when the
   * property cannot be written (a frozen object or a module namespace).
   */
  replace<T>(target: object, key: PropertyKey, make: (current: T) => T): boolean {
    const record = target as Record<PropertyKey, unknown>;
    const current = record[key] as T;
    const hadOwn = Object.hasOwn(target, key);
    const original = hadOwn ? Object.getOwnPropertyDescriptor(target, key) : undefined;
    if (!canWrite(target, original)) return false;
    const replacement = make(current);
    try {
      Object.defineProperty(target, key, {
        value: replacement,
        writable: true,
        configurable: true,
        enumerable: original?.enumerable ?? false,
      });
    } catch {
      return false;
    }
    this.applied.push({ target, key, hadOwn, original });
    return true;
  }

  /** Undo every replacement, newest first. Safe to call twice. */
  restoreAll(): void {
    for (let entry = this.applied.pop(); entry !== undefined; entry = this.applied.pop()) {
      if (entry.hadOwn && entry.original !== undefined) {
        Object.defineProperty(entry.target, entry.key, entry.original);
      } else {
        delete (entry.target as Record<PropertyKey, unknown>)[entry.key];
      }
    }
  }

  get size(): number {
    return this.applied.length;
  }
}

function canWrite(target: object, own: PropertyDescriptor | undefined): boolean {
  if (own === undefined) return Object.isExtensible(target);
  return own.configurable === true;
}
