import { expectShape, type LayerPair, type Rule, requireKerasWeight } from './layer-pair.js';

/** Gather over a `[vocab, dim]` initializer into a Keras Embedding: same layout, copied. */
export function embeddingRules(pair: LayerPair): Rule[] {
  const table = pair.onnx.weights.get('weight')!;
  const embeddings = requireKerasWeight(pair, 'embeddings');
  expectShape(pair, table, table.shape, embeddings, '[vocab,dim]');
  return [{ from: table.name, to: embeddings.name }];
}
