import { create } from '@bufbuild/protobuf';
import { deriveSeed } from '@reprokit/core';
import { AttributeProto_AttributeType, AttributeProtoSchema } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import { copyMessage, rewriteModel } from '../graph/rewrite-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { hasSeedAttribute, randomSeedKind } from './random-ops.js';

export interface ApplySeedsResult {
  readonly model: OnnxModel;
  /** Qualified labels of the nodes that received a seed, with the seed each got. */
  readonly seeded: ReadonlyMap<string, number>;
}

/**
 * A copy of `model` in which every RandomNormal, RandomUniform, RandomNormalLike,
 * RandomUniformLike, Multinomial and Bernoulli node without a `seed` gets one, and so does
 * every Dropout that can run in training mode. Each seed is `deriveSeed(seed, label)`, where
 * label is the node's name (or `#<index>`) with its subgraph path, so seeds do not depend on
 * anything but the seed and the graph. The float attribute holds the value rounded to float32
 * (what ONNX stores), Dropout's int attribute the full uint32.
 *
 * ONNX Runtime's generator for a seeded node advances on every `run()` and restarts when a
 * new session is created from the model.
 *
 * @example
 * const seeded = applySeeds(model, 42).model;
 * const session = await ort.InferenceSession.create(encodeOnnxModel(seeded));
 */
export function applySeeds(model: OnnxModel, seed: number | string): ApplySeedsResult {
  if (!(typeof seed === 'string' || (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))) {
    throw new OnnxError({
      code: 'ONNX_SEED_INVALID',
      message: `seed must be a uint32 or a string, got ${String(seed)}`,
    });
  }
  const seeded = new Map<string, number>();
  const proto = rewriteModel(model.proto, {
    node(node, label) {
      const kind = randomSeedKind(node);
      if (kind === undefined || hasSeedAttribute(node)) return undefined;
      const derived = deriveSeed(seed, label);
      const attribute =
        kind === 'float'
          ? create(AttributeProtoSchema, {
              name: 'seed',
              type: AttributeProto_AttributeType.FLOAT,
              f: Math.fround(derived),
            })
          : create(AttributeProtoSchema, {
              name: 'seed',
              type: AttributeProto_AttributeType.INT,
              i: BigInt(derived),
            });
      seeded.set(label, kind === 'float' ? Math.fround(derived) : derived);
      return copyMessage(node, { attribute: [...node.attribute, attribute] });
    },
  });
  return { model: { ...model, proto }, seeded };
}
