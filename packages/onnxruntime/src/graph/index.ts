export {
  nodeLabel,
  qualifiedName,
  SUBGRAPH_SEPARATOR,
  subgraphSegment,
} from './initializer-names.js';
export {
  copyMessage,
  forEachInitializer,
  type ModelVisitor,
  rewriteModel,
} from './rewrite-model.js';
