import {
  bytesFiles,
  type CheckpointFiles,
  encodeSafetensors,
  fingerprint,
  inspectCheckpoint,
  readCheckpoint,
  safetensorsStore,
} from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel, onnxStore, readOnnxCheckpoint, writeOnnx } from '../src/index.js';
import { denseModel, ifModel, replacementCheckpoint } from './onnx-model-builder.js';

/** The files of one save, as bytes by name (what a browser would download or upload). */
async function encodeFiles(
  ...args: Parameters<NonNullable<ReturnType<typeof onnxStore>['encode']>>
): Promise<Map<string, Uint8Array>> {
  const encoded = await onnxStore().encode!(...args);
  const files = new Map<string, Uint8Array>();
  const join = async (chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      whole.set(part, at);
      at += part.length;
    }
    return whole;
  };
  for (const file of encoded.dataFiles) files.set(file.name, await join(file.chunks));
  files.set(args[1].entryName, await join((await encoded.entry((name) => name)).chunks));
  return files;
}

describe('onnxStore', () => {
  it('detects ONNX models by their first bytes or a .onnx name, and not safetensors files', async () => {
    const store = onnxStore();
    const head = encodeOnnxModel(denseModel()).subarray(0, 64);
    expect(store.detect({ name: 'anything.bin', size: 1000, head })).toBe(true);
    expect(store.detect({ name: 'model.onnx', size: 1000, head: new Uint8Array([0x3a, 1]) })).toBe(
      true,
    );
    const safetensors = encodeSafetensors(await readOnnxCheckpoint(denseModel()));
    expect(
      store.detect({ name: 'model.safetensors', size: safetensors.length, head: safetensors }),
    ).toBe(false);
    expect(
      store.detect({ name: 'notes.txt', size: 5, head: new TextEncoder().encode('hello') }),
    ).toBe(false);
  });

  it('encode with externalData: true writes the model and <name>.safetensors; read and inspect find the checkpoint', async () => {
    const template = denseModel();
    const checkpoint = replacementCheckpoint(await readOnnxCheckpoint(template), 4);
    const files = await encodeFiles(checkpoint, {
      entryName: 'net.onnx',
      template,
      externalData: true,
    });
    expect([...files.keys()]).toEqual(['net.safetensors', 'net.onnx']);
    expect(files.get('net.safetensors')).toEqual(encodeSafetensors(checkpoint));
    const read = await readCheckpoint(bytesFiles(files, 'net.onnx'), {
      stores: [safetensorsStore(), onnxStore()],
    });
    expect(fingerprint(read)).toBe(fingerprint(checkpoint));

    // inspect lists the initializers from the model alone: the data file is never opened.
    const noDataFiles: CheckpointFiles = {
      entry: bytesFiles(files, 'net.onnx').entry,
      open: async (name) => {
        throw new Error(`inspect opened ${name}`);
      },
    };
    const summary = await inspectCheckpoint(noDataFiles, { stores: [onnxStore()] });
    expect(summary.format).toBe('onnx');
    expect(summary.files).toEqual(['net.onnx', 'net.safetensors']);
    expect(
      summary.tensors.map((tensor) => [tensor.name, tensor.dtype, tensor.shape, tensor.byteLength]),
    ).toEqual([
      ['W', 'F32', [3, 4], 48],
      ['B', 'F32', [4], 16],
      ['G', 'F32', [5, 3], 60],
      ['C', 'F32', [5], 20],
    ]);
    // read without the data file: a typed error naming the tensor.
    await expect(onnxStore().read(noDataFiles)).rejects.toMatchObject({
      code: 'ONNX_EXTERNAL_DATA_MISSING',
      tensor: 'W',
    });
  });

  it('encode without externalData is one file with the weights embedded; a checkpoint that does not fit fails before any file', async () => {
    const template = ifModel();
    const checkpoint = replacementCheckpoint(await readOnnxCheckpoint(template), 2);
    const files = await encodeFiles(checkpoint, {
      entryName: 'model.onnx',
      template: encodeOnnxModel(template),
    });
    expect([...files.keys()]).toEqual(['model.onnx']);
    expect(fingerprint(await readOnnxCheckpoint(files.get('model.onnx')!))).toBe(
      fingerprint(checkpoint),
    );
    expect(files.get('model.onnx')).toEqual(encodeOnnxModel(await writeOnnx(template, checkpoint)));
    checkpoint.tensors.delete('S');
    await expect(
      onnxStore().encode!(checkpoint, { entryName: 'model.onnx', template }),
    ).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
  });
});
