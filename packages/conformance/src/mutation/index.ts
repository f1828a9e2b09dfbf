export { applyByteMutation, type ByteMutation, byteMutation, concat } from './byte-mutation.js';
export {
  applyFileSetMutations,
  applySafetensorsHeaderMutation,
  type FileSet,
  type FileSetMutation,
  fileSetMutations,
} from './file-set-mutation.js';
export {
  applyJsonTokenMutation,
  HOSTILE_JSON_VALUES,
  type JsonTokenMutation,
  jsonTokenMutation,
} from './json-token-mutation.js';
