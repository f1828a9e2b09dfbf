/** One hyperslab of a dataset and where its bytes sit in the row-major whole. */
export interface Block {
  readonly count: number[];
  readonly offset: number[];
  readonly byteOffset: number;
  readonly byteLength: number;
}

/**
 * Splits a row-major array of `shape` into hyperslabs of at most `blockBytes` (or one element),
 * each a contiguous run of the whole: runs of rows along the outermost axis whose rows fit,
 * with every axis before it fixed. Reads and writes go through the wasm heap one block at a time.
 *
 * @example
 * [...blocks([4, 3], 4, 24)]; // two blocks of 2 rows: offsets [0,0] and [2,0]
 */
export function* blocks(
  shape: readonly number[],
  itemSize: number,
  blockBytes: number,
): Generator<Block> {
  const total = shape.reduce((product, dim) => product * dim, itemSize);
  if (total === 0 || shape.length === 0) return;
  let axis = 0;
  let rowBytes = total / shape[0]!;
  while (axis < shape.length - 1 && rowBytes > blockBytes) {
    axis++;
    rowBytes /= shape[axis]!;
  }
  const rowsPerBlock = Math.max(1, Math.floor(blockBytes / rowBytes));
  const outer = shape.slice(0, axis);
  const index = outer.map(() => 0);
  let byteOffset = 0;
  for (;;) {
    for (let start = 0; start < shape[axis]!; start += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, shape[axis]! - start);
      const count = shape.map((dim, a) => (a < axis ? 1 : a === axis ? rows : dim));
      const offset = shape.map((_, a) => (a < axis ? index[a]! : a === axis ? start : 0));
      const byteLength = rows * rowBytes;
      yield { count, offset, byteOffset, byteLength };
      byteOffset += byteLength;
    }
    let a = outer.length - 1;
    while (a >= 0) {
      index[a]!++;
      if (index[a]! < outer[a]!) break;
      index[a] = 0;
      a--;
    }
    if (a < 0) return;
  }
}
