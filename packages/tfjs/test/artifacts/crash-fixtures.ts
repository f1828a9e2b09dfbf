import type { Checkpoint } from '@reprokit/core';

/** One F32 tensor per entry of `sizes` (in floats), filled from `seed`. */
export function checkpointOf(sizes: number[], seed: number): Checkpoint {
  const tensors = new Map(
    sizes.map((size, index) => {
      const data = new Uint8Array(
        new Float32Array(size).map((_, i) => seed * 1000 + index + i).buffer,
      );
      return [`layer${index}/kernel`, { dtype: 'F32' as const, shape: [size], data }];
    }),
  );
  return { tensors, metadata: new Map() };
}

// 256-byte shards: 640 bytes take 3, 1200 bytes take 5, 400 bytes take 2.
export const SHARD_SIZE = 256;
export const old = checkpointOf([100, 60], 1);
export const replacement = checkpointOf([200, 100], 2);
export const next = checkpointOf([60, 40], 3);
