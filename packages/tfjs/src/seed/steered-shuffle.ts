/**
 * The order tfjs' `util.shuffle` gives 0..n-1 when `Math.random` answers from `random`: the
 * same Fisher-Yates walk (from the last position down, index `(r * counter) | 0`), done here so
 * the target order can be known before tfjs shuffles.
 */
export function fisherYatesOrder(length: number, random: () => number): Int32Array {
  const order = identityOrder(length);
  for (let counter = length; counter > 0; ) {
    const pick = (random() * counter) | 0;
    counter--;
    const kept = order[counter] as number;
    order[counter] = order[pick] as number;
    order[pick] = kept;
  }
  return order;
}

/**
 * The `Math.random` answers that make tfjs' `util.shuffle` turn `current` into `target`
 * (both permutations of 0..n-1). At each step the walk swaps position `counter - 1` with the
 * picked index; picking where `target[counter - 1]` sits now fixes that position for good.
 * Each answer is the middle of its index's interval, so `(r * counter) | 0` lands on it exactly.
 */
export function drawsThatShuffle(
  current: ArrayLike<number>,
  target: ArrayLike<number>,
): Float64Array {
  const length = current.length;
  const work = Int32Array.from(current);
  const position = new Int32Array(length);
  for (let index = 0; index < length; index++) position[work[index] as number] = index;
  const draws = new Float64Array(length);
  for (let counter = length; counter > 0; counter--) {
    const last = counter - 1;
    const wanted = target[last] as number;
    const pick = position[wanted] as number;
    draws[length - counter] = (pick + 0.5) / counter;
    const displaced = work[last] as number;
    work[last] = wanted;
    work[pick] = displaced;
    position[wanted] = last;
    position[displaced] = pick;
  }
  return draws;
}

/** True when `values` holds exactly the numbers 0..length-1 in some order. */
export function isPermutation(values: ArrayLike<unknown>): values is ArrayLike<number> {
  const seen = new Uint8Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value >= values.length ||
      seen[value] === 1
    ) {
      return false;
    }
    seen[value] = 1;
  }
  return true;
}

/** 0..length-1 in order: fit's index array before its first shuffle. */
export function identityOrder(length: number): Int32Array {
  const order = new Int32Array(length);
  for (let index = 0; index < length; index++) order[index] = index;
  return order;
}
