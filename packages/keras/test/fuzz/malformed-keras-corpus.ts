/**
 * A seeded corpus of malformed Keras weights files: valid fixtures (test/fixtures) with one
 * mutation each. The same seed gives the same corpus, byte for byte, so a failure reproduces
 * from its case name. Mutations aim at what an HDF5 reader trusts: the superblock and object
 * headers near the start, addresses and sizes (bytes set to 0x00 / 0xff), truncation, and
 * random damage anywhere; zip archives get the same treatment plus central-directory damage.
 */
import { createRng, type Rng } from '@reprokit/core';

export interface MalformedCase {
  /** `<fixture>#<index> <mutation>`: enough to reproduce it. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

type Mutation = (bytes: Uint8Array, rng: Rng) => { bytes: Uint8Array; what: string };

const integer = (rng: Rng, below: number) => Math.floor(rng.next() * below);

/** Offsets where damage matters most: the first KiB holds the superblock and root group. */
const position = (rng: Rng, length: number) =>
  rng.next() < 0.5 ? integer(rng, Math.min(length, 1024)) : integer(rng, length);

const MUTATIONS: readonly Mutation[] = [
  (bytes, rng) => {
    const out = bytes.slice();
    const at = position(rng, out.length);
    const bit = 1 << integer(rng, 8);
    out[at]! ^= bit;
    return { bytes: out, what: `flip bit ${bit} at ${at}` };
  },
  (bytes, rng) => {
    const out = bytes.slice();
    const at = position(rng, out.length);
    const length = 1 + integer(rng, 8);
    const value = rng.next() < 0.5 ? 0x00 : 0xff;
    out.fill(value, at, at + length);
    return { bytes: out, what: `fill ${length} bytes at ${at} with ${value}` };
  },
  (bytes, rng) => {
    const out = bytes.slice();
    const count = 1 + integer(rng, 32);
    for (let index = 0; index < count; index++) out[position(rng, out.length)] = integer(rng, 256);
    return { bytes: out, what: `${count} random bytes` };
  },
  (bytes, rng) => {
    const length = integer(rng, bytes.length);
    return { bytes: bytes.slice(0, length), what: `truncate to ${length}` };
  },
  (bytes, rng) => {
    const at = position(rng, bytes.length);
    const length = 1 + integer(rng, 64);
    const out = new Uint8Array(bytes.length - Math.min(length, bytes.length - at));
    out.set(bytes.subarray(0, at));
    out.set(bytes.subarray(at + length), at);
    return { bytes: out, what: `delete ${length} bytes at ${at}` };
  },
  (bytes, rng) => {
    const at = position(rng, bytes.length);
    const insert = Uint8Array.from({ length: 1 + integer(rng, 64) }, () => integer(rng, 256));
    const out = new Uint8Array(bytes.length + insert.length);
    out.set(bytes.subarray(0, at));
    out.set(insert, at);
    out.set(bytes.subarray(at), at + insert.length);
    return { bytes: out, what: `insert ${insert.length} bytes at ${at}` };
  },
  (bytes, rng) => {
    // Copy one region over another: plausible-looking but misplaced structures.
    const out = bytes.slice();
    const length = 8 + integer(rng, 256);
    const from = integer(rng, Math.max(1, out.length - length));
    const to = position(rng, Math.max(1, out.length - length));
    out.copyWithin(to, from, from + length);
    return { bytes: out, what: `copy ${length} bytes from ${from} to ${to}` };
  },
  (bytes, rng) => {
    // An 8-byte little-endian field (HDF5 addresses and lengths) set to a huge or small value.
    const out = bytes.slice();
    const at = position(rng, Math.max(1, out.length - 8));
    const view = new DataView(out.buffer);
    const value = [
      0xffffffffffffffffn,
      0x7fffffffffffffffn,
      BigInt(out.length),
      0n,
      BigInt(integer(rng, 2 ** 31)),
    ][integer(rng, 5)]!;
    view.setBigUint64(at, value, true);
    return { bytes: out, what: `set uint64 at ${at} to ${value}` };
  },
];

/**
 * `count` malformed files made from `fixtures` (name -> bytes), from `seed`.
 *
 * @example
 * for (const item of malformedKerasCorpus(fixtures, { seed: 1, count: 100 })) await readKeras(item.bytes);
 */
export function* malformedKerasCorpus(
  fixtures: ReadonlyMap<string, Uint8Array>,
  options: { seed: number; count: number },
): Generator<MalformedCase> {
  const rng = createRng(options.seed);
  const names = [...fixtures.keys()].sort();
  for (let index = 0; index < options.count; index++) {
    const fixture = names[integer(rng, names.length)]!;
    let bytes = fixtures.get(fixture)!;
    const steps: string[] = [];
    // Usually one mutation, sometimes a few stacked.
    const rounds = rng.next() < 0.8 ? 1 : 2 + integer(rng, 3);
    for (let round = 0; round < rounds; round++) {
      const mutated = MUTATIONS[integer(rng, MUTATIONS.length)]!(bytes, rng);
      bytes = mutated.bytes;
      steps.push(mutated.what);
    }
    yield { name: `${fixture}#${index} ${steps.join(', ')}`, bytes };
  }
}
