import { describe, expect, it } from 'vitest';
import { createSha256 } from './create-sha-256.js';
import { Sha256, sha256 } from './sha-256.js';

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sha256', () => {
  it('matches the FIPS 180-4 example digests', () => {
    expect(hex(sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256(utf8('')))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches the FIPS 180-4 one-million-a example, fed in pieces', () => {
    const hash = new Sha256();
    const piece = new Uint8Array(1000).fill(0x61);
    for (let index = 0; index < 1000; index++) hash.update(piece);
    expect(hex(hash.digest())).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });
});

describe('Sha256 fed in pieces, and createSha256', () => {
  it('gives the one-shot digest whatever the piece sizes', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 97 + 13) & 0xff);
    const expected = hex(sha256(bytes));
    for (const piece of [1, 3, 63, 64, 65, 127, 500]) {
      const hash = new Sha256();
      for (let offset = 0; offset < bytes.length; offset += piece) {
        hash.update(bytes.subarray(offset, offset + piece));
      }
      expect(hex(hash.digest()), `pieces of ${piece}`).toBe(expected);
    }
  });

  it('gives the same hex digest with and without a native hash', () => {
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 31) & 0xff);
    const expected = hex(sha256(bytes));
    expect(
      createSha256().update(bytes.subarray(0, 100)).update(bytes.subarray(100)).digestHex(),
    ).toBe(expected);
    expect(
      createSha256({ native: false })
        .update(bytes.subarray(0, 100))
        .update(bytes.subarray(100))
        .digestHex(),
    ).toBe(expected);
  });
});
