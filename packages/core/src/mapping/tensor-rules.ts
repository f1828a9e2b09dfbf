import type { Checkpoint, CheckpointTensor, TensorSpec } from '../checkpoint/checkpoint.js';
import { closestNames } from '../checkpoint/did-you-mean.js';
import { formatShape, sameShape } from '../checkpoint/write-report.js';
import { MappingError } from './mapping-error.js';
import type { TensorTransform } from './tensor-transforms.js';
import type { MappingResult, MappingStep, WeightMapping } from './weight-mapping.js';

/** How one target tensor is made from the source checkpoint. */
export interface TensorRule {
  /** Name in the result (the target model's name). */
  readonly to: string;
  /** Source tensor name, or several when `combine` merges them. */
  readonly from: string | readonly string[];
  /** Merges several sources into one tensor before `transforms` run. */
  readonly combine?: {
    readonly description: string;
    apply(tensors: readonly CheckpointTensor[], name: string): CheckpointTensor;
  };
  /** Applied in order to the (combined) source. */
  readonly transforms?: readonly TensorTransform[];
  /** Checks already made (e.g. an epsilon compared); each becomes a step of its own. */
  readonly notes?: readonly string[];
}

export interface TensorRulesOptions {
  /** Copy source tensors no rule reads into the result unchanged. Default `false`. */
  readonly keepUnmapped?: boolean;
  /**
   * Compare dtypes with the target as well as shapes. Default `true`; turn off when the
   * loader converts dtypes itself (for example F16 weights into float32 variables).
   */
  readonly checkDtype?: boolean;
}

/**
 * A `WeightMapping` from an explicit list of rules: each rule builds one target tensor from
 * named source tensors through named transforms, and each becomes one `MappingStep`
 * (`transform` lists the transforms in order, or `copy`/`rename`). A source the checkpoint
 * lacks throws `MAPPING_SOURCE_MISSING` (with close names); a result whose dtype or shape
 * differs from the target model's throws `MAPPING_SHAPE_MISMATCH` naming the rule. Two rules
 * writing the same name throw `MAPPING_NAME_COLLISION`. A tensor taken without transforms
 * shares its bytes with the source checkpoint (nothing is copied that need not be).
 *
 * @example
 * const mapping = tensorRules('linear', [
 *   { from: 'fc.weight', to: 'dense/kernel', transforms: [tensorTransforms.transpose([1, 0])] },
 *   { from: 'fc.bias', to: 'dense/bias' },
 * ]);
 * const { checkpoint, steps } = mapping.map(source, targetSpecs);
 */
export function tensorRules(
  name: string,
  rules: readonly TensorRule[],
  options: TensorRulesOptions = {},
): WeightMapping {
  return {
    name,
    map(checkpoint: Checkpoint, target: ReadonlyMap<string, TensorSpec>): MappingResult {
      const tensors = new Map<string, CheckpointTensor>();
      const steps: MappingStep[] = [];
      const used = new Set<string>();
      for (const rule of rules) {
        if (tensors.has(rule.to)) {
          throw new MappingError({
            code: 'MAPPING_NAME_COLLISION',
            message: `two rules of mapping "${name}" write the same tensor`,
            tensor: rule.to,
          });
        }
        const from = typeof rule.from === 'string' ? [rule.from] : [...rule.from];
        const sources = from.map((source) => {
          const tensor = checkpoint.tensors.get(source);
          if (tensor === undefined) {
            const close = closestNames(source, checkpoint.tensors.keys());
            throw new MappingError({
              code: 'MAPPING_SOURCE_MISSING',
              message: `mapping "${name}" needs "${source}" for "${rule.to}" but the checkpoint lacks it${close.length > 0 ? ` (did you mean ${close.map((n) => `"${n}"`).join(', ')}?)` : ''}`,
              tensor: source,
            });
          }
          used.add(source);
          return tensor;
        });
        let tensor: CheckpointTensor;
        if (rule.combine !== undefined) {
          tensor = rule.combine.apply(sources, rule.to);
        } else if (sources.length === 1) {
          tensor = sources[0]!;
        } else {
          throw new MappingError({
            code: 'MAPPING_INVALID_RULE',
            message: `rule for "${rule.to}" reads ${sources.length} tensors but has no combine`,
            tensor: rule.to,
          });
        }
        for (const transform of rule.transforms ?? []) tensor = transform.apply(tensor, rule.to);
        const done = [
          ...(rule.combine === undefined ? [] : [rule.combine.description]),
          ...(rule.transforms ?? []).map((transform) => transform.description),
        ];
        const expected = target.get(rule.to);
        if (
          expected !== undefined &&
          ((options.checkDtype !== false && expected.dtype !== tensor.dtype) ||
            !sameShape(expected.shape, tensor.shape))
        ) {
          throw new MappingError({
            code: 'MAPPING_SHAPE_MISMATCH',
            message: `"${from.join('", "')}"${done.length > 0 ? ` after ${done.join(', then ')}` : ''} is ${tensor.dtype} ${formatShape(tensor.shape)}, but the model wants ${expected.dtype} ${formatShape(expected.shape)}`,
            tensor: rule.to,
          });
        }
        tensors.set(rule.to, tensor);
        for (const note of rule.notes ?? []) steps.push({ from, to: rule.to, transform: note });
        steps.push({
          from,
          to: rule.to,
          transform:
            done.length > 0
              ? done.join(', then ')
              : from.length === 1 && from[0] === rule.to
                ? 'copy'
                : 'rename',
        });
      }
      if (options.keepUnmapped === true) {
        for (const [source, tensor] of checkpoint.tensors) {
          if (!used.has(source) && !tensors.has(source)) {
            tensors.set(source, tensor);
            steps.push({ from: [source], to: source, transform: 'copy' });
          }
        }
      }
      return { checkpoint: { tensors, metadata: new Map(checkpoint.metadata) }, steps };
    },
  };
}
