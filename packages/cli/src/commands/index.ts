export { type CommandContext, note } from './command-context.js';
export { type ConvertOptions, convertCommand } from './convert-command.js';
export {
  type DiffDocument,
  type DiffOptions,
  diffCommand,
  type TensorDiff,
} from './diff-command.js';
export { fingerprintCommand } from './fingerprint-command.js';
export { type InspectDocument, type InspectOptions, inspectCommand } from './inspect-command.js';
