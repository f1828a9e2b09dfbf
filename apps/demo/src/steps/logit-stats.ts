/**
 * Comparisons of two `[batch, classes]` logit arrays, as the demo reports them.
 *
 * @example
 * maxAbsDifference(tfjsLogits, ortLogits); // 2.4e-7
 * argmaxRows(logits, 10); // Uint8Array of predicted labels
 */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = Math.abs(a[index]! - b[index]!);
    // NaN must fail the check, not vanish in Math.max.
    if (!(difference <= max))
      max = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
  }
  return max;
}

export function argmaxRows(logits: Float32Array, classes: number): Uint8Array {
  const rows = logits.length / classes;
  const labels = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let column = 1; column < classes; column++) {
      if (logits[row * classes + column]! > logits[row * classes + best]!) best = column;
    }
    labels[row] = best;
  }
  return labels;
}

export function agreement(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let same = 0;
  for (let index = 0; index < a.length; index++) if (a[index] === b[index]) same++;
  return same / a.length;
}

/** True when both arrays hold the very same float32 bit patterns (NaN payloads included). */
export function bitwiseEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const left = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const right = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}
