import type { Checkpoint, CheckpointTensor } from '../checkpoint/checkpoint.js';
import { MappingError } from './mapping-error.js';
import type { MappingStep, WeightMapping } from './weight-mapping.js';

/**
 * A pattern and its replacement. A string pattern matches a whole name exactly; a RegExp
 * replaces like `String.prototype.replace` (use `^...$` to anchor it).
 */
export type RenameRule = readonly [pattern: string | RegExp, replacement: string];

export interface RenameRulesOptions {
  /** Drop tensors no rule matches, instead of keeping them under their own name. */
  readonly dropUnmatched?: boolean;
}

/**
 * A `WeightMapping` that renames tensors by the first rule that matches each name; data
 * and layouts are untouched. Every renamed tensor is a `rename` step. Two tensors landing on
 * one name throw `MAPPING_NAME_COLLISION`.
 *
 * @example
 * const mapping = renameRules([
 *   [/^encoder\.(\d+)\.weight$/, 'encoder_$1/kernel'],
 *   ['head.bias', 'head/bias'],
 * ]);
 */
export function renameRules(
  rules: readonly RenameRule[],
  options: RenameRulesOptions = {},
): WeightMapping {
  return {
    name: 'rename',
    map(checkpoint: Checkpoint) {
      const tensors = new Map<string, CheckpointTensor>();
      const steps: MappingStep[] = [];
      const origin = new Map<string, string>();
      for (const [name, tensor] of checkpoint.tensors) {
        const renamed = rename(name, rules);
        if (renamed === undefined && options.dropUnmatched === true) continue;
        const to = renamed ?? name;
        const clash = origin.get(to);
        if (clash !== undefined) {
          throw new MappingError({
            code: 'MAPPING_NAME_COLLISION',
            message: `"${clash}" and "${name}" are both renamed to "${to}"`,
            tensor: to,
          });
        }
        origin.set(to, name);
        tensors.set(to, tensor);
        if (to !== name) steps.push({ from: [name], to, transform: 'rename' });
      }
      return { checkpoint: { tensors, metadata: new Map(checkpoint.metadata) }, steps };
    },
  };
}

function rename(name: string, rules: readonly RenameRule[]): string | undefined {
  for (const [pattern, replacement] of rules) {
    if (typeof pattern === 'string') {
      if (pattern === name) return replacement;
    } else {
      // A fresh RegExp per test: a global or sticky pattern would carry lastIndex across names.
      const regexp = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
      if (regexp.test(name)) return name.replace(regexp, replacement);
    }
  }
  return undefined;
}
