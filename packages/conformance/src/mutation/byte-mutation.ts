import fc from 'fast-check';

/**
 * One edit of a file's bytes. Positions are taken modulo the input's length when applied, so
 * the same mutation applies to any input and fast-check can shrink it freely.
 */
export type ByteMutation =
  | { readonly kind: 'flip-bit'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set-byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | {
      readonly kind: 'duplicate';
      readonly from: number;
      readonly length: number;
      readonly to: number;
    }
  | {
      readonly kind: 'write-integer';
      readonly at: number;
      readonly width: 1 | 2 | 4 | 8;
      readonly value: bigint;
    };

// Integers that break length and offset arithmetic: sign bits, 2^31, 2^32, 2^53, 2^64 - 1.
const interestingIntegers = [
  0n,
  1n,
  7n,
  8n,
  0x7fn,
  0x80n,
  0xffn,
  0x7fffn,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  2n ** 53n,
  2n ** 63n,
  2n ** 64n - 1n,
];

/**
 * Arbitrary byte mutations: bit flips, byte sets, truncations, splices (insert, delete,
 * duplicate a range) and little-endian writes of boundary integers over length fields.
 *
 * @example
 * fc.sample(byteMutation(), 1)[0]; // { kind: 'flip-bit', at: 1234, bit: 3 }
 */
export function byteMutation(): fc.Arbitrary<ByteMutation> {
  const at = fc.nat();
  return fc.oneof(
    {
      arbitrary: fc.record({ kind: fc.constant('flip-bit' as const), at, bit: fc.nat(7) }),
      weight: 4,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('set-byte' as const), at, value: fc.nat(255) }),
      weight: 2,
    },
    { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        at,
        bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        at,
        length: fc.integer({ min: 1, max: 64 }),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('duplicate' as const),
        from: at,
        length: fc.integer({ min: 1, max: 64 }),
        to: fc.nat(),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('write-integer' as const),
        at,
        width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
        value: fc.constantFrom(...interestingIntegers),
      }),
      weight: 2,
    },
  );
}

/**
 * Apply one mutation and return new bytes (the input is not changed).
 *
 * @example
 * applyByteMutation(Uint8Array.of(1, 2, 3), { kind: 'truncate', at: 2 }); // Uint8Array [1, 2]
 */
export function applyByteMutation(bytes: Uint8Array, mutation: ByteMutation): Uint8Array {
  const length = bytes.length;
  const position = (value: number) => (length === 0 ? 0 : value % (length + 1));
  switch (mutation.kind) {
    case 'flip-bit': {
      if (length === 0) return bytes.slice();
      const out = bytes.slice();
      out[mutation.at % length]! ^= 1 << mutation.bit;
      return out;
    }
    case 'set-byte': {
      if (length === 0) return bytes.slice();
      const out = bytes.slice();
      out[mutation.at % length] = mutation.value;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, position(mutation.at));
    case 'insert': {
      const at = position(mutation.at);
      return concat(bytes.subarray(0, at), mutation.bytes, bytes.subarray(at));
    }
    case 'delete': {
      const at = position(mutation.at);
      return concat(bytes.subarray(0, at), bytes.subarray(at + mutation.length));
    }
    case 'duplicate': {
      const from = position(mutation.from);
      const piece = bytes.slice(from, from + mutation.length);
      const to = position(mutation.to);
      return concat(bytes.subarray(0, to), piece, bytes.subarray(to));
    }
    case 'write-integer': {
      const out = bytes.slice();
      if (length === 0) return out;
      let value = mutation.value;
      const start = mutation.at % length;
      for (let k = 0; k < mutation.width && start + k < length; k++) {
        out[start + k] = Number(value & 0xffn);
        value >>= 8n;
      }
      return out;
    }
  }
}

/** Concatenate byte arrays into a new one. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
