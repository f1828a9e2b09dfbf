/**
 * Short renderings of the demo's numbers, shared by the check lines and the table.
 *
 * @example
 * percent(0.9123); // '91.2%'
 * shortHash('3f2a9c...'); // '3f2a9c1b0d4e'
 * milliseconds(3.456); // '3.46 ms'
 * scientific(2.3e-7); // '2.3e-7'
 */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

export function milliseconds(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`;
  return `${value.toPrecision(3)} ms`;
}

export function scientific(value: number): string {
  if (value === 0) return '0';
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${mantissa}e${Number(exponent)}`;
}
