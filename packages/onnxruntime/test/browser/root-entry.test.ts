/**
 * The root entry on bytes and Blobs, as a page uses it: this file runs in Node and in headless
 * Chromium (no Node built-in, no file system). ONNX Runtime itself is not loaded here.
 */
import {
  blobFiles,
  blobSource,
  bytesFiles,
  createCheckpoint,
  deriveSeed,
  encodeSafetensors,
  fingerprint,
  inspectCheckpoint,
  readCheckpoint,
} from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import {
  applySeeds,
  decodeOnnxModel,
  encodeOnnxModel,
  onnxStore,
  readOnnxCheckpoint,
  writeOnnxWithReport,
} from '../../src/index.js';
import { readInitializerHeaders } from '../../src/wire/initializer-headers.js';
import { denseModel, ifModel, randomModel, replacementCheckpoint } from '../onnx-model-builder.js';

describe('@reprokit/onnxruntime root entry, on bytes and Blobs', () => {
  it('writes external data into memory and reads it back from Files, as a drop would give them', async () => {
    const template = ifModel();
    const checkpoint = replacementCheckpoint(await readOnnxCheckpoint(template), 3);
    const { model, keptEmbedded } = await writeOnnxWithReport(template, checkpoint, {
      externalData: 'model.safetensors',
    });
    expect([...keptEmbedded.keys()]).toEqual(['choose.then_branch::T', 'choose.else_branch::E']);
    const weights = model.externalFiles.get('model.safetensors')!;
    expect(weights).toEqual(encodeSafetensors(checkpoint));
    const files = [
      new File([encodeOnnxModel(model) as Uint8Array<ArrayBuffer>], 'model.onnx'),
      new File([weights as Uint8Array<ArrayBuffer>], 'model.safetensors'),
    ];
    const read = await readCheckpoint(blobFiles(files, 'model.onnx'), { stores: [onnxStore()] });
    expect(fingerprint(read)).toBe(fingerprint(checkpoint));
    const summary = await inspectCheckpoint(blobFiles(files, 'model.onnx'), {
      stores: [onnxStore()],
    });
    expect(summary.files).toEqual(['model.onnx', 'model.safetensors']);
    // And from bytes in memory with the data file handed over by name.
    const decoded = decodeOnnxModel(encodeOnnxModel(model), {
      externalFiles: new Map([['model.safetensors', weights]]),
    });
    expect(fingerprint(await readOnnxCheckpoint(decoded))).toBe(fingerprint(checkpoint));
  });

  it('lists initializers of a Blob from their headers, and stamps seeds', async () => {
    const bytes = encodeOnnxModel(denseModel());
    const headers = await readInitializerHeaders(
      await blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), 'dense.onnx'),
    );
    expect(headers.map((header) => [header.name, header.dims])).toEqual([
      ['W', [3, 4]],
      ['B', [4]],
      ['G', [5, 3]],
      ['C', [5]],
    ]);
    const { seeded } = applySeeds(randomModel(), 42);
    expect(seeded.get('uniform')).toBe(Math.fround(deriveSeed(42, 'uniform')));
    const store = onnxStore();
    const encoded = await store.encode!(
      createCheckpoint([...(await readOnnxCheckpoint(bytes)).tensors]),
      {
        entryName: 'dense.onnx',
        template: bytes,
        externalData: true,
      },
    );
    expect(encoded.dataFiles.map((file) => file.name)).toEqual(['dense.safetensors']);
    const entry = await encoded.entry((name) => name);
    const [entryBytes] = [...(entry.chunks as Iterable<Uint8Array>)];
    const [dataBytes] = [...(encoded.dataFiles[0]!.chunks as Iterable<Uint8Array>)];
    const back = await readCheckpoint(
      bytesFiles({ 'dense.onnx': entryBytes!, 'dense.safetensors': dataBytes! }, 'dense.onnx'),
      { stores: [onnxStore()] },
    );
    expect(fingerprint(back)).toBe(fingerprint(await readOnnxCheckpoint(bytes)));
  });
});
