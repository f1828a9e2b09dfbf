export { qualifiedName, SUBGRAPH_SEPARATOR } from './initializer-names.js';
export {
  copyMessage,
  forEachInitializer,
  type ModelVisitor,
  rewriteModel,
} from './rewrite-model.js';
