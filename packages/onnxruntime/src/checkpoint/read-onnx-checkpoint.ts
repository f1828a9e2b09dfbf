import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  type TensorSpec,
} from '@reprokit/core';
import type { TensorProto } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import { forEachInitializer } from '../graph/rewrite-model.js';
import { toOnnxModel } from '../model/decode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';
import {
  tensorProtoSpec,
  tensorProtoToCheckpointTensor,
} from '../tensor/tensor-proto-to-checkpoint-tensor.js';

/** One initializer of a model, found in the main graph or in a subgraph. */
export interface InitializerEntry {
  /** Unique checkpoint name: the initializer's name, prefixed by its subgraph path if any. */
  readonly name: string;
  /** Subgraph path segments (`['cond.then_branch']`); empty for the main graph. */
  readonly graphPath: readonly string[];
  readonly tensor: TensorProto;
}

/**
 * Every initializer of a model, main graph first then subgraphs in node order, each with
 * a unique checkpoint name. Two initializers with the same qualified name (invalid ONNX)
 * throw `ONNX_DUPLICATE_INITIALIZER`.
 *
 * @example
 * listInitializers(model).map((entry) => entry.name); // ['w', 'cond.then_branch::b']
 */
export function listInitializers(model: OnnxModel): InitializerEntry[] {
  const entries: InitializerEntry[] = [];
  const seen = new Set<string>();
  forEachInitializer(model.proto, (tensor, name, graphPath) => {
    if (seen.has(name)) {
      throw new OnnxError({
        code: 'ONNX_DUPLICATE_INITIALIZER',
        message: 'two initializers share this name in the same graph',
        file: model.name,
        tensor: name,
      });
    }
    seen.add(name);
    entries.push({ name, graphPath, tensor });
  });
  return entries;
}

/**
 * Dtype and shape of every initializer, by checkpoint name; what a checkpoint must supply
 * for `writeOnnx` in strict mode.
 *
 * @example
 * onnxTensorSpecs(model).get('w'); // { dtype: 'F32', shape: [3, 2] }
 */
export function onnxTensorSpecs(model: OnnxModel): Map<string, TensorSpec> {
  const specs = new Map<string, TensorSpec>();
  for (const entry of listInitializers(model)) {
    specs.set(entry.name, tensorProtoSpec(entry.tensor, entry.name, model.name));
  }
  return specs;
}

/**
 * Read a model's initializers as a `Checkpoint`: embedded (`raw_data` or typed fields) and
 * external data (from `model.externalFiles`, or opened through `model.files`), including
 * initializers of If/Loop/Scan bodies under `<node>.<attribute>::<name>`. Accepts model bytes
 * (then external data cannot be found) or an `OnnxModel`; `@reprokit/onnxruntime/node` adds
 * paths. Unsupported dtypes, wrong byte lengths and unsafe external locations throw `OnnxError`
 * naming the initializer.
 *
 * @example
 * const model = decodeOnnxModel(bytes, { externalFiles: new Map([['model.safetensors', weights]]) });
 * const checkpoint = await readOnnxCheckpoint(model);
 * checkpoint.tensors.get('fc.weight')?.shape; // [10, 784]
 */
export async function readOnnxCheckpoint(input: OnnxModel | Uint8Array): Promise<Checkpoint> {
  const model = toOnnxModel(input);
  const reader = new ExternalDataReader(model);
  try {
    const tensors: Array<[string, CheckpointTensor]> = [];
    for (const entry of listInitializers(model)) {
      tensors.push([
        entry.name,
        await tensorProtoToCheckpointTensor(entry.tensor, entry.name, model.name, reader),
      ]);
    }
    return createCheckpoint(tensors);
  } finally {
    await reader.close();
  }
}
