import { describe, expect, it } from 'vitest';
import { PropertyPatches } from './property-patches.js';

describe('PropertyPatches', () => {
  it('restores own and inherited properties exactly, newest first', () => {
    class Base {
      greet(): string {
        return 'base';
      }
    }
    const instance = new Base() as Base & { own?: () => string };
    const own = () => 'own';
    instance.own = own;
    const patches = new PropertyPatches();
    expect(
      patches.replace<() => string>(
        instance,
        'greet',
        (original) => () => `wrapped ${original.call(instance)}`,
      ),
    ).toBe(true);
    expect(
      patches.replace<() => string>(instance, 'own', (original) => () => `wrapped ${original()}`),
    ).toBe(true);
    expect(
      patches.replace<() => string>(instance, 'own', (original) => () => `twice ${original()}`),
    ).toBe(true);
    expect(instance.greet()).toBe('wrapped base');
    expect(instance.own()).toBe('twice wrapped own');
    expect(patches.size).toBe(3);

    patches.restoreAll();
    expect(Object.hasOwn(instance, 'greet')).toBe(false);
    expect(instance.greet).toBe(Base.prototype.greet);
    expect(instance.own).toBe(own);
    expect(patches.size).toBe(0);
    patches.restoreAll();
    expect(instance.own).toBe(own);
  });

  it('refuses frozen objects and non-configurable properties without changing them', () => {
    const frozen = Object.freeze({ shuffle: () => 1 });
    const fixed = {} as { shuffle: () => number };
    const shuffle = () => 2;
    Object.defineProperty(fixed, 'shuffle', {
      value: shuffle,
      writable: true,
      configurable: false,
    });
    const patches = new PropertyPatches();
    expect(patches.replace(frozen, 'shuffle', () => () => 3)).toBe(false);
    expect(patches.replace(fixed, 'shuffle', () => () => 3)).toBe(false);
    expect(patches.replace(Object.freeze({}), 'added', () => 1)).toBe(false);
    expect(fixed.shuffle).toBe(shuffle);
    expect(patches.size).toBe(0);
  });
});
