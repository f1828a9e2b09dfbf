export { addTensors } from './add-tensors.js';
export { composeMappings } from './compose-mappings.js';
export { concatTensors, stackTensors } from './concat-tensors.js';
export {
  checkEpsilon,
  type EpsilonPolicy,
  epsilonsMatch,
  foldEpsilonIntoScale,
} from './epsilon-check.js';
export { MappingError } from './mapping-error.js';
export { type RenameRule, type RenameRulesOptions, renameRules } from './rename-rules.js';
export { reorderGates } from './reorder-gates.js';
export { reshapeTensor } from './reshape-tensor.js';
export { selectIndex, sliceTensor, splitTensor } from './slice-tensor.js';
export { type TensorRule, type TensorRulesOptions, tensorRules } from './tensor-rules.js';
export { type TensorTransform, tensorTransforms } from './tensor-transforms.js';
export { transposeTensor } from './transpose-tensor.js';
export type { MappingResult, MappingStep, WeightMapping } from './weight-mapping.js';
