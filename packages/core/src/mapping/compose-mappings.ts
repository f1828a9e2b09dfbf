import type { Checkpoint, TensorSpec } from '../checkpoint/checkpoint.js';
import type { MappingStep, WeightMapping } from './weight-mapping.js';

/**
 * Runs mappings one after another, each on the previous one's result; the steps of all of
 * them are reported in order. Every mapping sees the same target specs.
 *
 * @example
 * const mapping = composeMappings(renameRules([[/^model\./, '']]), onnxPreset);
 */
export function composeMappings(...mappings: readonly WeightMapping[]): WeightMapping {
  return {
    name: mappings.map((mapping) => mapping.name).join(' + ') || 'identity',
    map(checkpoint: Checkpoint, target: ReadonlyMap<string, TensorSpec>) {
      let current = checkpoint;
      const steps: MappingStep[] = [];
      for (const mapping of mappings) {
        const result = mapping.map(current, target);
        current = result.checkpoint;
        steps.push(...result.steps);
      }
      return { checkpoint: current, steps };
    },
  };
}
