import {
  type Checkpoint,
  type CheckpointTensor,
  compare,
  createCheckpoint,
  type TensorComparison,
  type TensorComparisonStatus,
} from '@reprokit/core';
import { renderTable } from '@reprokit/core/internal';
import { castKind, castTensor } from '../cast/cast-tensor.js';
import { type OpenedInput, openInput } from '../formats/open-input.js';
import { readWeights } from '../formats/read-weights.js';
import type { WeightsFormat } from '../formats/weights-format.js';
import type { CommandContext } from './command-context.js';

export interface DiffOptions {
  atol?: number | undefined;
  rtol?: number | undefined;
  /** Print one JSON document instead of a table. */
  json?: boolean | undefined;
}

/** One tensor's line in a diff. */
export interface TensorDiff {
  name: string;
  /**
   * `equal` (same bytes), `close` (within tolerance), `different`, `missing` (only in a),
   * `extra` (only in b), `shape-mismatch`, `dtype-mismatch`.
   */
  status: TensorComparisonStatus;
  a: { dtype: string; shape: number[] } | null;
  b: { dtype: string; shape: number[] } | null;
  /** Largest `|a - b|`; `null` when not compared (JSON also shows Infinity and NaN as null). */
  maxAbsDiff: number | null;
  /** Largest `|a - b| / |a|`; `null` as for `maxAbsDiff`. */
  maxRelDiff: number | null;
}

/** The document `reprokit diff --json` prints. */
export interface DiffDocument {
  /** True when every tensor is `equal`; the exit code is 0 then, 1 otherwise. */
  equal: boolean;
  /** `bitwise` unless `--atol` or `--rtol` was given. */
  mode: 'bitwise' | 'tolerance';
  atol: number;
  rtol: number;
  a: { file: string; format: WeightsFormat };
  b: { file: string; format: WeightsFormat };
  tensors: TensorDiff[];
}

/**
 * `reprokit diff <a> <b>`: compare two weight files tensor by tensor, in any two formats.
 * Bitwise by default (same names, dtypes, shapes and bytes); `atol`/`rtol` compare values
 * with `|a - b| <= atol + rtol * |a|` instead (core's `compare`, `a` is the reference), also
 * across numeric dtypes (widened to F64).
 * Metadata is not compared (the fingerprint ignores it too).
 *
 * @example
 * const report = await diffCommand('a.safetensors', 'b/model.json', { atol: 1e-6 }, context);
 * report.equal; // exit code 0 when true, 1 when false
 */
export async function diffCommand(
  aPath: string,
  bPath: string,
  options: DiffOptions,
  context: CommandContext,
): Promise<DiffDocument> {
  context.currentFile = aPath;
  const [aInput, a] = await readInput(aPath, context);
  context.currentFile = bPath;
  const [bInput, b] = await readInput(bPath, context);
  context.currentFile = undefined;

  const bitwise = options.atol === undefined && options.rtol === undefined;
  const atol = options.atol ?? 0;
  const rtol = options.rtol ?? 0;
  context.progress.phase('compare', 1);
  const report = compare(a, b, { atol, rtol });
  let tensors = report.tensors;
  if (!bitwise) tensors = tensors.map((tensor) => compareAcrossDtypes(tensor, a, b, atol, rtol));
  context.progress.advance();
  const document: DiffDocument = {
    equal: bitwise
      ? report.equal
      : tensors.every((tensor) => tensor.status === 'equal' || tensor.status === 'close'),
    mode: bitwise ? 'bitwise' : 'tolerance',
    atol,
    rtol,
    a: { file: aPath, format: aInput.format },
    b: { file: bPath, format: bInput.format },
    tensors: tensors.map(toTensorDiff),
  };
  context.progress.finish();
  context.io.writeOut(
    options.json === true ? `${JSON.stringify(document, null, 2)}\n` : renderDiff(document),
  );
  return document;
}

/**
 * With a tolerance, tensors of different numeric dtypes (an F16 original and its F32 tfjs
 * conversion) are compared by value: both are widened to F64 first. The result is at best
 * `close`, since the bytes cannot be the same.
 */
function compareAcrossDtypes(
  tensor: TensorComparison,
  a: Checkpoint,
  b: Checkpoint,
  atol: number,
  rtol: number,
): TensorComparison {
  if (tensor.status !== 'dtype-mismatch') return tensor;
  const left = a.tensors.get(tensor.name)!;
  const right = b.tensors.get(tensor.name)!;
  if (castKind(left.dtype, 'F64') === undefined || castKind(right.dtype, 'F64') === undefined) {
    return tensor;
  }
  const widen = (value: CheckpointTensor, file: string) =>
    createCheckpoint([[tensor.name, castTensor(value, 'F64', { name: tensor.name, file })]]);
  const widened = compare(widen(left, '<a>'), widen(right, '<b>'), { atol, rtol }).tensors[0]!;
  const status = widened.status === 'equal' ? 'close' : widened.status;
  return { ...widened, status, bitwiseEqual: false, a: tensor.a, b: tensor.b };
}

function toTensorDiff(tensor: TensorComparison): TensorDiff {
  const spec = (side: TensorComparison['a']) =>
    side === undefined ? null : { dtype: side.dtype, shape: [...side.shape] };
  const compared =
    tensor.a !== undefined &&
    tensor.b !== undefined &&
    tensor.status !== 'shape-mismatch' &&
    tensor.status !== 'dtype-mismatch';
  return {
    name: tensor.name,
    status: tensor.status,
    a: spec(tensor.a),
    b: spec(tensor.b),
    maxAbsDiff: compared ? tensor.maxAbsDiff : null,
    maxRelDiff: compared ? tensor.maxRelDiff : null,
  };
}

function renderDiff(document: DiffDocument): string {
  const describeSpec = (spec: TensorDiff['a']) =>
    spec === null ? '-' : `${spec.dtype} [${spec.shape.join(',')}]`;
  const number = (value: number | null) =>
    value === null ? '-' : Number.isFinite(value) ? value.toPrecision(3) : String(value);
  const rows = [
    ['name', 'status', 'a', 'b', 'max abs', 'max rel'],
    ...document.tensors.map((tensor) => [
      tensor.name,
      tensor.status,
      describeSpec(tensor.a),
      describeSpec(tensor.b),
      number(tensor.maxAbsDiff),
      number(tensor.maxRelDiff),
    ]),
  ];
  const differing = document.tensors.filter(
    (tensor) =>
      tensor.status !== 'equal' && (document.mode === 'bitwise' || tensor.status !== 'close'),
  ).length;
  const how =
    document.mode === 'bitwise' ? 'bitwise' : `within atol ${document.atol}, rtol ${document.rtol}`;
  const summary = document.equal
    ? `equal (${how}): ${document.tensors.length} tensors`
    : `different (${how}): ${differing} of ${document.tensors.length} tensors differ`;
  return `${renderTable(rows, { alignRight: [4, 5] })}${summary}\n`;
}

async function readInput(
  path: string,
  context: CommandContext,
): Promise<[OpenedInput, Awaited<ReturnType<typeof readWeights>>]> {
  const input = await openInput(path, context.progress);
  try {
    return [input, await readWeights(input, context.progress)];
  } finally {
    await input.close();
  }
}
