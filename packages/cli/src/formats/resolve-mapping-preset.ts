import type { WeightMapping } from '@reprokit/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { CliError } from '../errors/cli-error.js';
import { loadOnnxFiles, loadTfjsOnnx } from './load-adapters.js';
import type { OutputFormat } from './resolve-output-target.js';
import type { WeightsFormat } from './weights-format.js';

/** A mapping preset `convert --mapping <name>` knows: which direction it maps. */
export interface MappingPresetInfo {
  readonly name: string;
  readonly from: WeightsFormat;
  readonly to: OutputFormat;
  readonly summary: string;
}

/** The presets, from `@reprokit/tfjs-onnx`. */
export const MAPPING_PRESETS: readonly MappingPresetInfo[] = [
  {
    name: 'onnx-to-keras',
    from: 'onnx',
    to: 'tfjs-artifacts',
    summary:
      'PyTorch-style ONNX weights into a tfjs layers model of the same architecture (needs --template model.json)',
  },
];

/**
 * Check a preset name against the input and output formats before anything is read; an
 * unknown name or a direction the preset does not map lists what there is.
 *
 * @example
 * checkMappingPreset('onnx-to-keras', 'onnx', 'tfjs-artifacts'); // ok
 */
export function checkMappingPreset(name: string, from: WeightsFormat, to: OutputFormat): void {
  const preset = MAPPING_PRESETS.find((entry) => entry.name === name);
  const known = MAPPING_PRESETS.map((entry) => `${entry.name} (${entry.from} -> ${entry.to})`).join(
    ', ',
  );
  if (preset === undefined) {
    throw new CliError({
      code: 'CLI_UNKNOWN_MAPPING',
      message: `unknown mapping preset "${name}"; known presets: ${known}`,
    });
  }
  if (preset.from !== from || preset.to !== to) {
    throw new CliError({
      code: 'CLI_UNSUPPORTED_CONVERSION',
      message: `mapping preset "${name}" maps ${preset.from} -> ${preset.to}, not ${from} -> ${to}`,
    });
  }
}

/**
 * Make the named preset's `WeightMapping` for one conversion: `onnx-to-keras` pairs the ONNX
 * input's weighted nodes with the layers of the tfjs template model, and fails (naming both
 * sides) when the architectures do not match.
 *
 * @example
 * const mapping = await createMappingPreset('onnx-to-keras', { onnxPath: 'model.onnx', model });
 */
export async function createMappingPreset(
  name: string,
  context: { onnxPath: string; model: LayersModel },
): Promise<WeightMapping> {
  if (name !== 'onnx-to-keras') {
    throw new CliError({
      code: 'CLI_UNKNOWN_MAPPING',
      message: `unknown mapping preset "${name}"`,
    });
  }
  const [presets, onnx] = await Promise.all([loadTfjsOnnx(), loadOnnxFiles()]);
  return presets.onnxToKeras(await onnx.loadOnnxModel(context.onnxPath), context.model);
}
