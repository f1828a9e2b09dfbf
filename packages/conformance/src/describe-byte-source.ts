import { type ByteSource, ByteSourceError } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from './bytes-equal.js';

/** What a source's test file provides to `describeByteSource`. */
export interface ByteSourceFixture {
  /** Open a new source over exactly `bytes`. */
  open(bytes: Uint8Array): Promise<ByteSource>;
  /** Optional: free what `open` made (servers, temporary files), after the source is closed. */
  dispose?(): void | Promise<void>;
}

/** The checks the suite runs; each can be skipped with a written reason. */
export type ByteSourceCheck =
  | 'size'
  | 'whole'
  | 'ranges'
  | 'empty-read'
  | 'into'
  | 'out-of-range'
  | 'concurrent'
  | 'closed'
  | 'abort';

export interface ByteSourceCapabilities {
  /** Checks this source cannot run, each with the reason, shown in the test name. */
  readonly skip?: Partial<Record<ByteSourceCheck, string>>;
}

/** Deterministic bytes in which every 4-byte window differs, so a misplaced range shows. */
function patternBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 0x9e3779b9;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + index) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/**
 * Registers the `ByteSource` contract tests for one implementation: the size is right, every
 * range returns exactly the bytes at that place (first byte, last byte, ranges across 512 KiB
 * read pieces), `into` is filled and returned, out-of-range and malformed reads reject with
 * `SOURCE_OUT_OF_RANGE` and never a short result, many reads in flight at once each get their
 * own bytes, reads after `close()` reject with `SOURCE_CLOSED`, and an aborted signal rejects.
 *
 * @example
 * describeByteSource('bytesSource', { open: async (bytes) => bytesSource(bytes) });
 */
export function describeByteSource(
  name: string,
  fixture: ByteSourceFixture,
  capabilities: ByteSourceCapabilities = {},
): void {
  const check = (id: ByteSourceCheck, title: string, body: () => Promise<void>) => {
    const reason = capabilities.skip?.[id];
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body);
    else it(title, body, 60_000);
  };
  // Larger than two 512 KiB pieces, and not a multiple of any power of two.
  const bytes = patternBytes(1_300_001);

  const withSource = async (body: (source: ByteSource) => Promise<void>, data = bytes) => {
    const source = await fixture.open(data);
    try {
      await body(source);
    } finally {
      await source.close();
      await fixture.dispose?.();
    }
  };

  const expectOutOfRange = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ByteSourceError.isInstance(error), String(error)).toBe(true);
    expect((error as ByteSourceError).code).toBe('SOURCE_OUT_OF_RANGE');
  };

  describe(`ByteSource contract: ${name}`, () => {
    check('size', 'reports the size of the bytes it was opened over, empty included', async () => {
      await withSource(async (source) => {
        expect(source.size).toBe(bytes.length);
        expect(typeof source.name).toBe('string');
        expect(source.name.length).toBeGreaterThan(0);
      });
      await withSource(async (source) => {
        expect(source.size).toBe(0);
        expect(await source.read(0, 0)).toEqual(new Uint8Array(0));
      }, new Uint8Array(0));
    });

    check('whole', 'reads the whole file in one call', async () => {
      await withSource(async (source) => {
        expect(bytesEqual(await source.read(0, bytes.length), bytes)).toBe(true);
      });
    });

    check(
      'ranges',
      'returns exactly the bytes of each range, at the edges and across pieces',
      async () => {
        await withSource(async (source) => {
          const ranges: Array<[number, number]> = [
            [0, 1],
            [0, 8],
            [bytes.length - 1, 1],
            [bytes.length - 8, 8],
            [524_287, 3], // across the first 512 KiB boundary
            [1_000, 1_100_000], // spans three pieces
            [777_777, 12_345],
          ];
          for (const [offset, length] of ranges) {
            const got = await source.read(offset, length);
            expect(got.length, `length of [${offset}, +${length})`).toBe(length);
            expect(
              bytesEqual(got, bytes.subarray(offset, offset + length)),
              `bytes of [${offset}, +${length})`,
            ).toBe(true);
          }
        });
      },
    );

    check('empty-read', 'reads zero bytes anywhere inside, the end included', async () => {
      await withSource(async (source) => {
        expect((await source.read(0, 0)).length).toBe(0);
        expect((await source.read(bytes.length, 0)).length).toBe(0);
      });
    });

    check('into', 'fills and returns the buffer it is given', async () => {
      await withSource(async (source) => {
        const into = new Uint8Array(100);
        const got = await source.read(4242, 100, { into });
        expect(got).toBe(into);
        expect(bytesEqual(into, bytes.subarray(4242, 4342))).toBe(true);
        await expectOutOfRange(source.read(0, 10, { into: new Uint8Array(9) }));
      });
    });

    check('out-of-range', 'rejects ranges outside the file and malformed bounds', async () => {
      await withSource(async (source) => {
        await expectOutOfRange(source.read(bytes.length - 4, 5));
        await expectOutOfRange(source.read(bytes.length + 1, 0));
        await expectOutOfRange(source.read(-1, 4));
        await expectOutOfRange(source.read(0, -1));
        await expectOutOfRange(source.read(1.5, 2));
        await expectOutOfRange(source.read(0, Number.NaN));
        // Still usable after refused reads.
        expect(bytesEqual(await source.read(10, 5), bytes.subarray(10, 15))).toBe(true);
      });
    });

    check('concurrent', 'gives each of many reads in flight its own bytes', async () => {
      await withSource(async (source) => {
        const ranges = Array.from({ length: 64 }, (_, index) => {
          const offset = (index * 19_997) % (bytes.length - 40_000);
          return [offset, 1 + ((index * 7_919) % 40_000)] as const;
        });
        const results = await Promise.all(
          ranges.map(([offset, length]) => source.read(offset, length)),
        );
        for (const [index, [offset, length]] of ranges.entries()) {
          expect(bytesEqual(results[index]!, bytes.subarray(offset, offset + length))).toBe(true);
        }
      });
    });

    check(
      'closed',
      'rejects reads after close with SOURCE_CLOSED; closing twice is harmless',
      async () => {
        const source = await fixture.open(bytes);
        try {
          await source.close();
          await source.close();
          const error = await source.read(0, 4).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(ByteSourceError.isInstance(error)).toBe(true);
          expect((error as ByteSourceError).code).toBe('SOURCE_CLOSED');
        } finally {
          await fixture.dispose?.();
        }
      },
    );

    check('abort', 'rejects a read whose signal is already aborted', async () => {
      await withSource(async (source) => {
        const controller = new AbortController();
        controller.abort(new Error('stop'));
        await expect(source.read(0, 4, { signal: controller.signal })).rejects.toThrow('stop');
      });
    });
  });
}
