/**
 * The Mersenne Twister's twist (regenerate 624 words, temper them into the output buffer) as a
 * 350-byte WebAssembly function, about twice as fast as the same loop in JavaScript (measured:
 * bench/python-random.bench.ts; the twist is most of the cost of a `random()` draw).
 *
 * The module is assembled here from the instruction list below (no build step, no binary file):
 * memory page 0 holds the 624 state words at byte 0 and the 624 tempered outputs at byte 2496;
 * the JavaScript side reads and writes both through `Int32Array` views. Where WebAssembly is
 * missing or refused (a Content-Security-Policy without 'wasm-unsafe-eval'), `createWasmTwister`
 * returns `undefined` and the caller uses its JavaScript twist, which computes the same words.
 */

/** Byte offset of the tempered outputs in the module's memory. */
const OUTPUTS_OFFSET = 2496;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

// The few instructions the twist needs (WebAssembly binary opcodes).
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const constant = (value: number) => [0x41, ...signedLeb(value)];
const load = (offset = 0) => [0x28, 2, ...unsignedLeb(offset)]; // i32.load, align 4
const store = (offset = 0) => [0x36, 2, ...unsignedLeb(offset)]; // i32.store, align 4
const AND = 0x71;
const OR = 0x72;
const XOR = 0x73;
const SHL = 0x74;
const SHR_S = 0x75;
const SHR_U = 0x76;
const ADD = 0x6a;
const SUB = 0x6b;
const LT_U = 0x49;
const NE = 0x47;
const SELECT = 0x1b;

// Locals: p = 4 * kk (byte offset of word kk), the current and next words, y, v, and q, the
// byte offset of word kk + 397 (mod 624).
const P = 0;
const CURRENT = 1;
const NEXT = 2;
const Y = 3;
const V = 4;
const Q = 5;

/** v = mt[q] ^ (y >>> 1) ^ (MATRIX_A if y is odd) */
const mix = (address: number[]) => [
  ...address,
  ...load(),
  ...get(Y),
  ...constant(1),
  SHR_U,
  XOR,
  ...get(Y),
  ...constant(31),
  SHL,
  ...constant(31),
  SHR_S,
  ...constant(0x9908b0df | 0),
  AND,
  XOR,
  ...set(V),
];

/** Tempers v and stores it at outputs[address / 4]. */
const temperAndStore = (address: number[]) => [
  ...[...get(V), ...get(V), ...constant(11), SHR_U, XOR, ...set(V)],
  ...[...get(V), ...get(V), ...constant(7), SHL, ...constant(0x9d2c5680 | 0), AND, XOR, ...set(V)],
  ...[...get(V), ...get(V), ...constant(15), SHL, ...constant(0xefc60000 | 0), AND, XOR, ...set(V)],
  ...[...address, ...get(V), ...get(V), ...constant(18), SHR_U, XOR, ...store(OUTPUTS_OFFSET)],
];

/** y = (a & UPPER_MASK) | (b & LOWER_MASK) */
const join = (upper: number[], lower: number[]) => [
  ...upper,
  ...constant(0x80000000 | 0),
  AND,
  ...lower,
  ...constant(0x7fffffff),
  AND,
  OR,
  ...set(Y),
];

const TWIST_BODY = [
  ...[...constant(0), ...load(), ...set(CURRENT), ...constant(0), ...set(P)],
  ...[0x03, 0x40], // loop over kk = 0 .. 622
  ...[...get(P), ...load(4), ...set(NEXT)],
  ...join(get(CURRENT), get(NEXT)),
  // q = kk < 227 ? 4 * (kk + 397) : 4 * (kk - 227)
  ...[...get(P), ...constant(1588), ADD, ...get(P), ...constant(908), SUB],
  ...[...get(P), ...constant(908), LT_U, SELECT, ...set(Q)],
  ...mix(get(Q)),
  ...[...get(P), ...get(V), ...store()],
  ...temperAndStore(get(P)),
  ...[...get(NEXT), ...set(CURRENT)],
  ...[...get(P), ...constant(4), ADD, ...tee(P), ...constant(2492), NE, 0x0d, 0], // br_if loop
  0x0b,
  // kk = 623 wraps around to word 0 and uses word 396.
  ...join(get(CURRENT), [...constant(0), ...load()]),
  ...mix(constant(1584)),
  ...[...constant(2492), ...get(V), ...store()],
  ...temperAndStore(constant(2492)),
  0x0b,
];

function section(id: number, bytes: number[]): number[] {
  return [id, ...unsignedLeb(bytes.length), ...bytes];
}

function name(text: string): number[] {
  return [...unsignedLeb(text.length), ...Array.from(text, (char) => char.charCodeAt(0))];
}

function moduleBytes(): Uint8Array {
  const code = [1, 6, 0x7f, ...TWIST_BODY]; // one group of six i32 locals
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    ...section(1, [1, 0x60, 0, 0]), // type: () -> ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0, 1]), // one memory, at least one page
    ...section(7, [2, ...name('memory'), 2, 0, ...name('twist'), 0, 0]),
    ...section(10, [1, ...unsignedLeb(code.length), ...code]),
  ]);
}

/** A WebAssembly twist over its own memory, with views on the words and the outputs. */
export interface WasmTwister {
  readonly words: Int32Array;
  readonly outputs: Int32Array;
  readonly twist: () => void;
}

interface WebAssemblyLike {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (
    module: unknown,
  ) => { exports: { memory: { buffer: ArrayBuffer }; twist: () => void } };
}

let compiled: unknown | null | undefined;

/**
 * A new twister (each with its own 64 KiB memory), or `undefined` where WebAssembly cannot be
 * used. The module is compiled once, synchronously (it is far below browsers' limits for
 * synchronous compilation).
 */
export function createWasmTwister(): WasmTwister | undefined {
  const wasm = (globalThis as unknown as { WebAssembly?: WebAssemblyLike }).WebAssembly;
  if (compiled === undefined) {
    try {
      compiled = wasm === undefined ? null : new wasm.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  if (compiled === null || wasm === undefined) return undefined;
  try {
    const { exports } = new wasm.Instance(compiled);
    const buffer = exports.memory.buffer;
    return {
      words: new Int32Array(buffer, 0, 624),
      outputs: new Int32Array(buffer, OUTPUTS_OFFSET, 624),
      twist: exports.twist,
    };
  } catch {
    return undefined;
  }
}
