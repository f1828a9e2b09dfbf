import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  type Dtype,
} from '@reprokit/core';
import { CliError } from '../errors/cli-error.js';
import { type CastKind, castKind, castTensor } from './cast-tensor.js';

/** A group of tensors converted from one dtype to another, reported on stderr. */
export interface CastNote {
  /** Why, for the note: `tfjs cannot hold F16`. */
  readonly reason: string;
  readonly from: Dtype;
  readonly to: Dtype;
  readonly kind: CastKind;
  readonly tensors: readonly string[];
}

export interface CastCheckpointOptions {
  /** `false` (`--no-cast`): refuse any needed cast, naming every tensor. */
  allowCast: boolean;
  /** The output, named in errors. */
  file: string;
  /** What the target is, for messages: `tfjs`, `model.onnx`. */
  target: string;
  /** The dtype the target needs for a tensor, or `undefined` to keep it as it is. */
  wants(name: string, tensor: CheckpointTensor): Dtype | undefined;
  /** Why the target needs it, for the note. */
  reason(from: Dtype, to: Dtype): string;
}

/**
 * Convert the tensors whose dtype the target cannot take, all or nothing: a cast that is
 * impossible, or any cast at all with `allowCast: false`, throws before any data is converted.
 * Returns the converted checkpoint (metadata kept) and one note per dtype pair.
 *
 * @example
 * const { checkpoint, notes } = castCheckpoint(source, { allowCast: true, file, target: 'tfjs', wants, reason });
 */
export function castCheckpoint(
  source: Checkpoint,
  options: CastCheckpointOptions,
): { checkpoint: Checkpoint; notes: CastNote[] } {
  const needed: { name: string; tensor: CheckpointTensor; to: Dtype }[] = [];
  for (const [name, tensor] of source.tensors) {
    const to = options.wants(name, tensor);
    if (to !== undefined && to !== tensor.dtype) needed.push({ name, tensor, to });
  }
  const impossible = needed.find((entry) => castKind(entry.tensor.dtype, entry.to) === undefined);
  if (impossible !== undefined) {
    throw new CliError({
      code: 'CLI_CAST_REFUSED',
      file: options.file,
      tensor: impossible.name,
      message: `${options.reason(impossible.tensor.dtype, impossible.to)}, and reprokit does not convert ${impossible.tensor.dtype} to ${impossible.to}`,
    });
  }
  const first = needed[0];
  if (first !== undefined && !options.allowCast) {
    // Every refused tensor is named, so one run shows everything --no-cast objects to.
    const listed = needed.map((entry) => `"${entry.name}" (${entry.tensor.dtype} -> ${entry.to})`);
    throw new CliError({
      code: 'CLI_CAST_REFUSED',
      file: options.file,
      tensor: first.name,
      message: `${options.target} needs ${listed.length} tensor(s) in another dtype, refused by --no-cast: ${summarizeList(listed)}`,
    });
  }
  const converted = new Map<string, CheckpointTensor>();
  const notes = new Map<string, CastNote & { tensors: string[] }>();
  for (const { name, tensor, to } of needed) {
    converted.set(name, castTensor(tensor, to, { name, file: options.file }));
    const key = `${tensor.dtype}->${to}`;
    const note = notes.get(key) ?? {
      reason: options.reason(tensor.dtype, to),
      from: tensor.dtype,
      to,
      kind: castKind(tensor.dtype, to)!,
      tensors: [],
    };
    note.tensors.push(name);
    notes.set(key, note);
  }
  if (converted.size === 0) return { checkpoint: source, notes: [] };
  const entries = [...source.tensors].map(
    ([name, tensor]) => [name, converted.get(name) ?? tensor] as const,
  );
  return { checkpoint: createCheckpoint(entries, source.metadata), notes: [...notes.values()] };
}

/**
 * The stderr line for one note.
 *
 * @example
 * describeCastNote(note); // 'reprokit: note: tfjs cannot hold F16: converted 1 tensor(s) to F32 (exact): "w"\n'
 */
export function describeCastNote(note: CastNote): string {
  const how =
    note.kind === 'rounded'
      ? 'values rounded'
      : note.kind === 'exact'
        ? 'exact'
        : 'exact, every value fits';
  const names = summarizeList(note.tensors.map((name) => `"${name}"`));
  return `reprokit: note: ${note.reason}: converted ${note.tensors.length} tensor(s) to ${note.to} (${how}): ${names}\n`;
}

function summarizeList(items: readonly string[]): string {
  const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
  return `${items.slice(0, 3).join(', ')}${more}`;
}
