/**
 * SHA-512 (FIPS 180-4) in plain JavaScript.
 *
 * CPython 3 seeds `random` from a string or bytes `a` as the integer
 * `int.from_bytes(a + sha512(a).digest(), 'big')`, so reproducing those seeds needs SHA-512 in
 * every runtime core supports, without `node:crypto` or an async `crypto.subtle`. Seeds are
 * short; speed does not matter. 64-bit words are kept as (high, low) pairs of uint32.
 */

// First 64 bits of the fractional parts of the cube roots of the first 80 primes, as hi, lo.
const ROUND_CONSTANTS = new Uint32Array([
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
]);

// First 64 bits of the fractional parts of the square roots of the first 8 primes, as hi, lo.
const INITIAL_HASH = [
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
  0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
];

/**
 * The SHA-512 digest (64 bytes) of `bytes`.
 *
 * @example
 * sha512(new TextEncoder().encode('abc'))[0]; // 0xdd
 */
export function sha512(bytes: Uint8Array): Uint8Array {
  // Padding: a 1 bit, zeros, then the message length in bits as a 128-bit big-endian number,
  // so that the total is a multiple of 128 bytes.
  const paddedLength = Math.ceil((bytes.length + 17) / 128) * 128;
  const padded = new Uint8Array(paddedLength);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bitLength = bytes.length * 8;
  view.setUint32(paddedLength - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(paddedLength - 4, bitLength >>> 0);

  const hash = new Uint32Array(INITIAL_HASH);
  // The message schedule, 80 words of (hi, lo).
  const w = new Uint32Array(160);
  const state = new Uint32Array(16);
  for (let block = 0; block < paddedLength; block += 128) {
    for (let t = 0; t < 32; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 80; t++) {
      // sigma0(w[t-15]) = rotr1 ^ rotr8 ^ shr7; sigma1(w[t-2]) = rotr19 ^ rotr61 ^ shr6
      const h15 = w[(t - 15) * 2]!;
      const l15 = w[(t - 15) * 2 + 1]!;
      const s0h = ((h15 >>> 1) | (l15 << 31)) ^ ((h15 >>> 8) | (l15 << 24)) ^ (h15 >>> 7);
      const s0l =
        ((l15 >>> 1) | (h15 << 31)) ^ ((l15 >>> 8) | (h15 << 24)) ^ ((l15 >>> 7) | (h15 << 25));
      const h2 = w[(t - 2) * 2]!;
      const l2 = w[(t - 2) * 2 + 1]!;
      const s1h = ((h2 >>> 19) | (l2 << 13)) ^ ((l2 >>> 29) | (h2 << 3)) ^ (h2 >>> 6);
      const s1l =
        ((l2 >>> 19) | (h2 << 13)) ^ ((h2 >>> 29) | (l2 << 3)) ^ ((l2 >>> 6) | (h2 << 26));
      const l16 = w[(t - 16) * 2 + 1]!;
      const l7 = w[(t - 7) * 2 + 1]!;
      const lowSum = (s0l >>> 0) + (s1l >>> 0) + l16 + l7;
      w[t * 2] = (s0h >>> 0) + (s1h >>> 0) + w[(t - 16) * 2]! + w[(t - 7) * 2]! + carryOf(lowSum);
      w[t * 2 + 1] = lowSum;
    }
    state.set(hash);
    for (let t = 0; t < 80; t++) {
      const ah = state[0]!;
      const al = state[1]!;
      const eh = state[8]!;
      const el = state[9]!;
      // Sum1(e) = rotr14 ^ rotr18 ^ rotr41
      const sum1h =
        ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const sum1l =
        ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chooseH = (eh & state[10]!) ^ (~eh & state[12]!);
      const chooseL = (el & state[11]!) ^ (~el & state[13]!);
      const t1Low =
        state[15]! + (sum1l >>> 0) + (chooseL >>> 0) + ROUND_CONSTANTS[t * 2 + 1]! + w[t * 2 + 1]!;
      const t1High =
        state[14]! +
        (sum1h >>> 0) +
        (chooseH >>> 0) +
        ROUND_CONSTANTS[t * 2]! +
        w[t * 2]! +
        carryOf(t1Low);
      // Sum0(a) = rotr28 ^ rotr34 ^ rotr39
      const sum0h =
        ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const sum0l =
        ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majorityH = (ah & state[2]!) ^ (ah & state[4]!) ^ (state[2]! & state[4]!);
      const majorityL = (al & state[3]!) ^ (al & state[5]!) ^ (state[3]! & state[5]!);
      const t2Low = (sum0l >>> 0) + (majorityL >>> 0);
      const t2High = (sum0h >>> 0) + (majorityH >>> 0) + carryOf(t2Low);
      state.copyWithin(2, 0, 14); // h=g, g=f, f=e, e=d, d=c, c=b, b=a (then fix e and a)
      const newELow = state[9]! + (t1Low >>> 0);
      state[8] = state[8]! + t1High + carryOf(newELow);
      state[9] = newELow;
      const newALow = (t1Low >>> 0) + (t2Low >>> 0);
      state[0] = t1High + t2High + carryOf(newALow);
      state[1] = newALow;
    }
    for (let i = 0; i < 16; i += 2) {
      const low = hash[i + 1]! + state[i + 1]!;
      hash[i] = hash[i]! + state[i]! + carryOf(low);
      hash[i + 1] = low;
    }
  }

  const digest = new Uint8Array(64);
  const digestView = new DataView(digest.buffer);
  hash.forEach((word, index) => {
    digestView.setUint32(index * 4, word);
  });
  return digest;
}

/** The carry out of a sum of uint32 values computed exactly as a double. */
function carryOf(sum: number): number {
  return Math.floor(sum / 0x100000000);
}
