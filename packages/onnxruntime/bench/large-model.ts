/**
 * The benchmark model: a chain of MatMul + Relu layers whose weights total at least 200 MB,
 * built in code with deterministic pseudo-random weights (no downloads, no fixtures).
 */
import { create } from '@bufbuild/protobuf';
import { type Checkpoint, createCheckpoint } from '@reprokit/core';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import { type OnnxModel, wrapModelProto } from '../src/index.js';

export const WIDTH = 1024;
export const LAYERS = 52; // 52 x 1024 x 1024 x 4 bytes = 218 MB

function valueInfo(name: string) {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: 1,
          shape: create(TensorShapeProtoSchema, {
            dim: [1, WIDTH].map((d) =>
              create(TensorShapeProto_DimensionSchema, {
                value: { case: 'dimValue', value: BigInt(d) },
              }),
            ),
          }),
        }),
      },
    }),
  });
}

/** The graph with empty initializers (dims and dtype only): weights come from a checkpoint. */
export function largeGraph(): OnnxModel {
  const nodes = [];
  const initializer = [];
  let input = 'x';
  for (let layer = 0; layer < LAYERS; layer++) {
    const weight = `layer${layer}.weight`;
    initializer.push(
      create(TensorProtoSchema, {
        name: weight,
        dataType: 1,
        dims: [BigInt(WIDTH), BigInt(WIDTH)],
      }),
    );
    nodes.push(
      create(NodeProtoSchema, {
        opType: 'MatMul',
        input: [input, weight],
        output: [`mm${layer}`],
        name: `mm${layer}`,
      }),
    );
    nodes.push(
      create(NodeProtoSchema, {
        opType: 'Relu',
        input: [`mm${layer}`],
        output: [`h${layer}`],
        name: `relu${layer}`,
      }),
    );
    input = `h${layer}`;
  }
  nodes.push(create(NodeProtoSchema, { opType: 'Identity', input: [input], output: ['y'] }));
  return wrapModelProto(
    create(ModelProtoSchema, {
      irVersion: 8n,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })],
      graph: create(GraphProtoSchema, {
        name: 'large',
        node: nodes,
        initializer,
        input: [valueInfo('x')],
        output: [valueInfo('y')],
      }),
    }),
    { name: '<large model>' },
  );
}

/** Weights for `largeGraph()`; `salt` changes every value. */
export function largeCheckpoint(salt: number): Checkpoint {
  let state = (0x9e3779b9 ^ salt) >>> 0;
  const tensors: Array<[string, { dtype: 'F32'; shape: number[]; data: Uint8Array }]> = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    const values = new Float32Array(WIDTH * WIDTH);
    for (let i = 0; i < values.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values[i] = (state / 2 ** 32 - 0.5) / 16;
    }
    tensors.push([
      `layer${layer}.weight`,
      { dtype: 'F32', shape: [WIDTH, WIDTH], data: new Uint8Array(values.buffer) },
    ]);
  }
  return createCheckpoint(tensors);
}

/**
 * Median timings in milliseconds of each body, run round-robin (baseline, candidate,
 * baseline, ...) after one warm-up each, so that load from other processes hits all alike.
 */
export async function measure(
  runs: number,
  bodies: Record<string, () => unknown>,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (const [name, body] of Object.entries(bodies)) {
    samples[name] = [];
    await body();
  }
  for (let run = 0; run < runs; run++) {
    for (const [name, body] of Object.entries(bodies)) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      await body();
      samples[name]!.push(performance.now() - start);
    }
  }
  const medians: Record<string, number> = {};
  for (const [name, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    medians[name] = list[Math.floor(list.length / 2)]!;
  }
  return medians;
}

/** Prints a markdown table: label, median, ratio to the first entry. */
export function printTable(title: string, medians: Record<string, number>): void {
  const [baseline] = Object.values(medians);
  console.log(`| ${title} | median | vs baseline |`);
  console.log('|---|---|---|');
  for (const [label, ms] of Object.entries(medians)) {
    console.log(`| ${label} | ${ms.toFixed(1)} ms | ${(ms / baseline!).toFixed(2)}x |`);
  }
}
