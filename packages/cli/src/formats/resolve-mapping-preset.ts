import type { WeightMapping } from '@reprokit/core';
import { CliError } from '../errors/cli-error.js';
import { loadMappingPresets } from './load-adapters.js';

/**
 * Find a mapping preset by name in `@reprokit/tfjs-onnx`; an unknown name is an error that
 * lists the presets there are.
 *
 * @example
 * const mapping = await resolveMappingPreset('keras-to-onnx');
 */
export async function resolveMappingPreset(name: string): Promise<WeightMapping> {
  const presets = await loadMappingPresets();
  const mapping = presets.mappingPresets[name];
  if (mapping === undefined) {
    throw new CliError({
      code: 'CLI_UNKNOWN_MAPPING',
      message: `unknown mapping preset "${name}"; known presets: ${Object.keys(presets.mappingPresets).join(', ')}`,
    });
  }
  return mapping;
}
