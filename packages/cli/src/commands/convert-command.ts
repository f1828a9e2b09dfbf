import type { Checkpoint } from '@reprokit/core';
import { describeCastNote } from '../cast/cast-checkpoint.js';
import { castForTfjs } from '../cast/cast-for-tfjs.js';
import { CliError } from '../errors/cli-error.js';
import { droppedMetadataKeys } from '../formats/dropped-metadata.js';
import { openInput } from '../formats/open-input.js';
import { readWeights } from '../formats/read-weights.js';
import { checkMappingPreset } from '../formats/resolve-mapping-preset.js';
import { type OutputTarget, resolveOutputTarget } from '../formats/resolve-output-target.js';
import { writeWeights } from '../formats/write-weights.js';
import { parseByteSize } from '../output/parse-byte-size.js';
import { type CommandContext, note } from './command-context.js';

export interface ConvertOptions {
  /** Largest shard, e.g. `2GB`: for `*.safetensors.index.json` and tfjs outputs. */
  maxShardSize?: string | undefined;
  /**
   * The model that receives the weights: an `.onnx` for ONNX outputs (default: the input, if
   * ONNX), a tfjs `model.json` with a topology for tfjs outputs (optional; its topology is
   * written to the output and the weights must fit it).
   */
  template?: string | undefined;
  /** ONNX output: weights as external data in a `.safetensors` beside the model. */
  external?: boolean | undefined;
  /** Mapping preset name (`onnx-to-keras`), for layouts that differ; needs `template`. */
  mapping?: string | undefined;
  /** `false` (`--no-cast`): refuse dtypes the target cannot hold instead of converting them. */
  cast?: boolean | undefined;
}

/**
 * `reprokit convert <in> <out>`: read weights in one format and write them in another.
 * Options are checked before anything is read; dtypes tfjs cannot hold are converted with a
 * note on stderr (or refused with `cast: false`); the output is written atomically, so an
 * existing output is replaced only when the whole conversion succeeded.
 *
 * @example
 * await convertCommand('model.safetensors', 'web/model.json', {}, context);
 */
export async function convertCommand(
  inputPath: string,
  outputPath: string,
  options: ConvertOptions,
  context: CommandContext,
): Promise<OutputTarget> {
  context.currentFile = outputPath;
  const target = await resolveOutputTarget(outputPath);
  checkOptions(target, options);
  const maxShardSize =
    options.maxShardSize === undefined
      ? undefined
      : parseByteSize(options.maxShardSize, '--max-shard-size');

  context.currentFile = inputPath;
  const input = await openInput(inputPath, context.progress);
  const template =
    options.template ??
    (input.format === 'onnx' && target.format === 'onnx' && !input.remote
      ? input.label
      : undefined);
  if (options.mapping !== undefined) {
    checkMappingPreset(options.mapping, input.format, target.format);
    if (options.template === undefined) {
      throw new CliError({
        code: 'CLI_TEMPLATE_REQUIRED',
        file: target.path,
        message: `--mapping ${options.mapping} needs --template: the model the weights are mapped into`,
      });
    }
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = await readWeights(input, context.progress);
  } finally {
    await input.close();
  }

  context.currentFile = target.path;
  // Notes are printed only once the output is written: a failed conversion prints its one
  // error line and nothing about work that was thrown away.
  const notes: string[] = [];
  if (target.format === 'tfjs-artifacts') {
    const cast = castForTfjs(checkpoint, { allowCast: options.cast !== false, file: target.path });
    checkpoint = cast.checkpoint;
    for (const entry of cast.notes) notes.push(describeCastNote(entry));
  }
  const dropped = droppedMetadataKeys(checkpoint, target.format);
  if (dropped.length > 0) {
    const more = dropped.length > 5 ? ` and ${dropped.length - 5} more` : '';
    notes.push(
      `reprokit: note: ${target.format} output has no place for this metadata: dropped ${dropped.length} key(s): ${dropped.slice(0, 5).join(', ')}${more}\n`,
    );
  }
  await writeWeights(target, checkpoint, {
    maxShardSize,
    template,
    external: options.external,
    mapping: options.mapping,
    inputPath: input.label,
    allowCast: options.cast !== false,
    onNote: (text) => notes.push(text),
    progress: context.progress,
  });
  context.progress.finish();
  for (const text of notes) note(context, text);
  return target;
}

function checkOptions(target: OutputTarget, options: ConvertOptions): void {
  const refuse = (option: string, allowed: string): never => {
    throw new CliError({
      code: 'CLI_BAD_OPTION',
      file: target.path,
      message: `${option} applies only to ${allowed} outputs, not ${target.format}`,
    });
  };
  if (
    options.maxShardSize !== undefined &&
    target.format !== 'safetensors-sharded' &&
    target.format !== 'tfjs-artifacts'
  ) {
    refuse('--max-shard-size', '*.safetensors.index.json and tfjs');
  }
  if (target.format === 'safetensors-sharded' && options.maxShardSize === undefined) {
    throw new CliError({
      code: 'CLI_BAD_OPTION',
      file: target.path,
      message: 'a sharded output needs --max-shard-size (e.g. --max-shard-size 2GB)',
    });
  }
  if (
    options.template !== undefined &&
    target.format !== 'onnx' &&
    target.format !== 'tfjs-artifacts'
  ) {
    refuse('--template', '.onnx and tfjs');
  }
  if (options.external === true && target.format !== 'onnx') refuse('--external', '.onnx');
}
