/**
 * x [1, K] · W [K, N] in float32 the simplest way: each output column summed from k = 0 up,
 * starting at 0. `fused: false` rounds every product and then every sum (a multiply and an add);
 * `fused: true` rounds once per step, as a fused multiply-add does (the product of two float32
 * values is exact in a double, so only the sum is rounded, to a double and then to a float32:
 * rarely, that double rounding differs from a true fused multiply-add).
 */
export function sequentialMatrixVector(
  x: Float32Array,
  weights: Float32Array,
  columns: number,
  fused: boolean,
): Float32Array {
  const rows = x.length;
  const out = new Float32Array(columns);
  for (let column = 0; column < columns; column++) {
    let sum = 0;
    for (let row = 0; row < rows; row++) {
      const product = x[row]! * weights[row * columns + column]!;
      sum = Math.fround(fused ? product + sum : Math.fround(product) + sum);
    }
    out[column] = sum;
  }
  return out;
}
