import { ReprokitError } from '@reprokit/core';
import fc from 'fast-check';

/** A reader under fuzz: how to make a mutated input and how to read it. */
export interface FuzzTarget<Input> {
  readonly name: string;
  /** Mutated valid inputs. */
  readonly inputs: fc.Arbitrary<Input>;
  /** Total bytes of an input, the base of the allocation bound. */
  size(input: Input): number;
  /** Read the input with the public API; the result is kept alive while memory is measured. */
  read(input: Input): Promise<unknown>;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly numRuns: number;
  /** Measure memory on every n-th case (default 25). */
  readonly sampleEvery?: number;
  /** Allowed growth of `arrayBuffers` during a sampled case: this many times the input... */
  readonly allocationFactor?: number;
  /** ...plus this many bytes (default 1 MiB: pools, the reader's own small buffers). */
  readonly allocationSlack?: number;
}

/** What a fuzz run saw. */
export interface FuzzStats {
  readonly target: string;
  readonly seed: number;
  readonly cases: number;
  /** Inputs read without an error (mutations that kept the file valid). */
  readonly accepted: number;
  /** How often each ReprokitError code came out. */
  readonly codes: Record<string, number>;
  /** For the report only: no check depends on time (a busy machine is slow). */
  readonly slowestCaseMs: number;
  readonly sampledCases: number;
  /** Largest `arrayBuffers` growth seen in a sampled case, in bytes, and that input's size. */
  readonly largestGrowth: { readonly bytes: number; readonly inputSize: number };
}

/** Thrown from the property: a case broke a rule. fast-check then shrinks the input. */
export class FuzzViolation extends Error {}

/**
 * Run a reader on `numRuns` mutated inputs with fast-check and a fixed seed. Each case must
 * end with a result or a `ReprokitError` (checked with `ReprokitError.isInstance`); the slowest
 * case is reported, never checked (time depends on the machine's load). On every `sampleEvery`-th case, `process.memoryUsage().arrayBuffers` may grow
 * by at most `allocationFactor` times the input's size plus `allocationSlack` while the result
 * is held. A violation fails with fast-check's shrunk counterexample, seed and path.
 *
 * @example
 * const stats = await runFuzz(safetensorsDecodeTarget(), { seed: 42, numRuns: 10_000 });
 */
export async function runFuzz<Input>(
  target: FuzzTarget<Input>,
  options: FuzzOptions,
): Promise<FuzzStats> {
  const sampleEvery = options.sampleEvery ?? 25;
  const factor = options.allocationFactor ?? 16;
  const slack = options.allocationSlack ?? 1 << 20;
  let cases = 0;
  let accepted = 0;
  let sampledCases = 0;
  let slowestCaseMs = 0;
  let largestGrowth = { bytes: 0, inputSize: 0 };
  const codes: Record<string, number> = {};

  const property = fc.asyncProperty(target.inputs, async (input) => {
    cases++;
    const sampled = cases % sampleEvery === 0;
    const before = sampled ? process.memoryUsage().arrayBuffers : 0;
    const started = performance.now();
    let result: unknown;
    let failure: unknown;
    let failed = false;
    try {
      result = await target.read(input);
    } catch (error) {
      failed = true;
      failure = error;
    }
    const elapsed = performance.now() - started;
    const size = target.size(input);
    if (sampled) {
      const growth = process.memoryUsage().arrayBuffers - before;
      sampledCases++;
      if (growth > largestGrowth.bytes) largestGrowth = { bytes: growth, inputSize: size };
      if (growth > factor * size + slack) {
        throw new FuzzViolation(
          `${target.name}: arrayBuffers grew by ${growth} bytes on a ${size}-byte input (limit ${factor}x + ${slack})`,
        );
      }
    }
    keepAlive(result);
    slowestCaseMs = Math.max(slowestCaseMs, elapsed);
    if (!failed) {
      accepted++;
      return;
    }
    if (!ReprokitError.isInstance(failure)) {
      throw new FuzzViolation(
        `${target.name}: a non-reprokit error came out: ${String((failure as Error)?.stack ?? failure)}`,
      );
    }
    codes[failure.code] = (codes[failure.code] ?? 0) + 1;
  });
  await fc.assert(property, { seed: options.seed, numRuns: options.numRuns });
  keepAlive(undefined);
  return {
    target: target.name,
    seed: options.seed,
    cases,
    accepted,
    codes,
    slowestCaseMs: Math.round(slowestCaseMs * 10) / 10,
    sampledCases,
    largestGrowth,
  };
}

// The last result, held in a module variable so the engine cannot free it before the memory
// of a sampled case is measured.
const retained: { value: unknown } = { value: undefined };
function keepAlive(value: unknown): void {
  retained.value = value;
}

/** A one-line summary of a fuzz run for logs and reports. */
export function summarizeFuzz(stats: FuzzStats): string {
  const codes = Object.entries(stats.codes)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  return `${stats.target}: ${stats.cases} cases (seed ${stats.seed}), ${stats.accepted} accepted, slowest ${stats.slowestCaseMs} ms, largest arrayBuffers growth ${stats.largestGrowth.bytes} B on a ${stats.largestGrowth.inputSize} B input (${stats.sampledCases} sampled); codes: ${codes}`;
}
