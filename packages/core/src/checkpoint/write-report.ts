import type { MappingStep } from '../mapping/weight-mapping.js';
import type { Checkpoint, TensorSpec } from './checkpoint.js';
import { closestNames } from './did-you-mean.js';

export interface TensorMismatch {
  readonly name: string;
  readonly expected: TensorSpec;
  readonly actual: TensorSpec;
}

export interface MissingTensor {
  readonly name: string;
  /** Checkpoint names close to the missing one. */
  readonly didYouMean: readonly string[];
}

export interface UnexpectedTensor {
  readonly name: string;
  /** Model names close to the unexpected one. */
  readonly didYouMean: readonly string[];
}

/** What a `CheckpointAdapter.write` did or would do, tensor by tensor. */
export interface WriteReport {
  /** Names written into the model. */
  readonly loaded: readonly string[];
  /** Model tensors the checkpoint lacks. */
  readonly missing: readonly MissingTensor[];
  /** Checkpoint tensors the model lacks. */
  readonly unexpected: readonly UnexpectedTensor[];
  /** Present in both, but dtype or shape differ. */
  readonly mismatched: readonly TensorMismatch[];
  /** Steps a `WeightMapping` took before loading. */
  readonly mapping: readonly MappingStep[];
}

/** True when the report shows nothing missing, unexpected or mismatched. */
export function isCompleteWrite(report: WriteReport): boolean {
  return (
    report.missing.length === 0 && report.unexpected.length === 0 && report.mismatched.length === 0
  );
}

/**
 * Match a checkpoint against what a model expects. Adapters call this before touching
 * the model, so a strict write can refuse with every problem listed at once.
 */
export function planCheckpointWrite(
  expected: ReadonlyMap<string, TensorSpec>,
  checkpoint: Checkpoint,
  mapping: readonly MappingStep[] = [],
): WriteReport {
  const loaded: string[] = [];
  const missing: MissingTensor[] = [];
  const mismatched: TensorMismatch[] = [];
  for (const [name, spec] of expected) {
    const tensor = checkpoint.tensors.get(name);
    if (tensor === undefined) {
      missing.push({
        name,
        didYouMean: closestNames(name, unmatched(checkpoint.tensors.keys(), expected)),
      });
    } else if (tensor.dtype !== spec.dtype || !sameShape(tensor.shape, spec.shape)) {
      mismatched.push({
        name,
        expected: spec,
        actual: { dtype: tensor.dtype, shape: tensor.shape },
      });
    } else {
      loaded.push(name);
    }
  }
  const unexpected: UnexpectedTensor[] = [];
  for (const name of checkpoint.tensors.keys()) {
    if (!expected.has(name)) {
      unexpected.push({
        name,
        didYouMean: closestNames(name, unmatched(expected.keys(), checkpoint.tensors)),
      });
    }
  }
  return { loaded, missing, unexpected, mismatched, mapping };
}

function* unmatched(
  names: Iterable<string>,
  other: ReadonlyMap<string, unknown>,
): Iterable<string> {
  for (const name of names) if (!other.has(name)) yield name;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, index) => dim === b[index]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** One line per problem, for error messages and CLI output. */
export function describeWriteProblems(report: WriteReport): string[] {
  const lines: string[] = [];
  for (const entry of report.missing) {
    const hint =
      entry.didYouMean.length > 0
        ? ` (did you mean ${entry.didYouMean.map((n) => `"${n}"`).join(', ')}?)`
        : '';
    lines.push(`missing "${entry.name}"${hint}`);
  }
  for (const entry of report.unexpected) {
    const hint =
      entry.didYouMean.length > 0
        ? ` (did you mean ${entry.didYouMean.map((n) => `"${n}"`).join(', ')}?)`
        : '';
    lines.push(`unexpected "${entry.name}"${hint}`);
  }
  for (const entry of report.mismatched) {
    lines.push(
      `"${entry.name}": model wants ${entry.expected.dtype} ${formatShape(entry.expected.shape)}, checkpoint has ${entry.actual.dtype} ${formatShape(entry.actual.shape)}`,
    );
  }
  return lines;
}
