/** One verified claim of the demo: a step, whether it held, and the numbers behind it. */
export interface Check {
  /** Step number, 1 to 4. */
  readonly step: number;
  /** Short name, e.g. `reproducibility (mlp, wasm)`. */
  readonly name: string;
  readonly passed: boolean;
  /** One line of numbers, shown after the name. */
  readonly summary: string;
  /** The raw numbers, for the JSON report. */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The line the demo prints for a check: a check mark or a cross, the step, its name and
 * its numbers.
 *
 * @example
 * formatCheckLine({ step: 1, name: 'reproducibility', passed: true, summary: 'a = b', details: {} });
 * // '✔ 1 reproducibility: a = b'
 */
export function formatCheckLine(check: Check): string {
  return `${check.passed ? '✔' : '✘'} ${check.step} ${check.name}: ${check.summary}`;
}
