import { type CorpusCase, utf8 } from './corpus-case.js';

const weights8 = new Uint8Array(new Float32Array([1, 2]).buffer);

/**
 * The malformed tfjs model folders of the corpus: each case is `<case>.json` (a model.json)
 * plus the shards it names (`<case>.bin`, ...).
 *
 * @example
 * tfjsCorpus().find((c) => c.name === 'shard-short')?.code; // 'TFJS_ARTIFACT_SHARD_SHORT'
 */
export function tfjsCorpus(): CorpusCase[] {
  const make = (
    name: string,
    code: string,
    why: string,
    modelJson: unknown,
    shards: Record<string, Uint8Array> = { bin: weights8 },
  ): CorpusCase => ({
    name,
    code,
    why,
    files: new Map([
      [`${name}.json`, utf8(typeof modelJson === 'string' ? modelJson : JSON.stringify(modelJson))],
      ...Object.entries(shards).map(
        ([extension, bytes]) => [`${name}.${extension}`, bytes] as const,
      ),
    ]),
  });
  const manifest = (name: string, weight: Record<string, unknown>, paths = [`${name}.bin`]) => ({
    format: 'layers-model',
    weightsManifest: [
      { paths, weights: [{ name: 'dense/kernel', shape: [2], dtype: 'float32', ...weight }] },
    ],
  });
  return [
    make(
      'not-json',
      'TFJS_ARTIFACT_BAD_MANIFEST',
      'model.json is cut mid-object',
      '{"weightsManifest": [',
    ),
    make('manifest-not-array', 'TFJS_ARTIFACT_BAD_MANIFEST', 'weightsManifest is an object', {
      weightsManifest: {},
    }),
    make('paths-not-strings', 'TFJS_ARTIFACT_BAD_MANIFEST', 'a shard path is a number', {
      weightsManifest: [{ paths: [1], weights: [] }],
    }),
    make(
      'shape-negative',
      'TFJS_ARTIFACT_BAD_MANIFEST',
      'a dimension of -2',
      manifest('shape-negative', { shape: [-2] }),
    ),
    make(
      'quantization-not-finite',
      'TFJS_ARTIFACT_BAD_MANIFEST',
      'quantization scale is a string',
      manifest('quantization-not-finite', { quantization: { dtype: 'uint8', scale: 'x', min: 0 } }),
    ),
    make(
      'unknown-dtype',
      'TFJS_ARTIFACT_UNKNOWN_DTYPE',
      'dtype complex64',
      manifest('unknown-dtype', { dtype: 'complex64' }),
    ),
    make(
      'string-weight',
      'TFJS_ARTIFACT_STRING_WEIGHT',
      'a string weight (lookup table)',
      manifest('string-weight', { dtype: 'string' }),
    ),
    make(
      'quantization-params',
      'TFJS_ARTIFACT_QUANTIZATION_PARAMS',
      'uint8 quantization without scale',
      manifest('quantization-params', { quantization: { dtype: 'uint8', min: 0 } }),
      { bin: Uint8Array.of(1, 2) },
    ),
    make(
      'unknown-quantization',
      'TFJS_ARTIFACT_UNKNOWN_QUANTIZATION',
      'quantization dtype int4',
      manifest('unknown-quantization', { quantization: { dtype: 'int4' } }),
    ),
    make(
      'path-escapes',
      'TFJS_ARTIFACT_PATH_ESCAPES',
      'a shard path climbs out of the folder',
      manifest('path-escapes', {}, ['../outside.bin']),
    ),
    make(
      'path-absolute',
      'TFJS_ARTIFACT_PATH_ESCAPES',
      'an absolute shard path',
      manifest('path-absolute', {}, ['/etc/passwd']),
    ),
    make(
      'shard-missing',
      'TFJS_ARTIFACT_SHARD_MISSING',
      'the shard file is not there',
      manifest('shard-missing', {}),
      {},
    ),
    make(
      'shard-short',
      'TFJS_ARTIFACT_SHARD_SHORT',
      'the shard holds 4 of 8 bytes',
      manifest('shard-short', {}),
      { bin: weights8.subarray(0, 4) },
    ),
    make(
      'shard-long',
      'TFJS_ARTIFACT_SHARD_LONG',
      'the shard holds 12 bytes for 8',
      manifest('shard-long', {}),
      { bin: new Uint8Array(12) },
    ),
    make('duplicate-weight', 'TFJS_ARTIFACT_DUPLICATE_WEIGHT', 'the same weight listed twice', {
      weightsManifest: [
        {
          paths: ['duplicate-weight.bin'],
          weights: [
            { name: 'w', shape: [1], dtype: 'float32' },
            { name: 'w', shape: [1], dtype: 'float32' },
          ],
        },
      ],
    }),
    make(
      'weight-without-layer',
      'TFJS_UNKNOWN_WEIGHT_LAYER',
      'the topology has no layer that owns the weight',
      {
        modelTopology: {
          class_name: 'Sequential',
          config: {
            name: 's',
            layers: [{ class_name: 'Dense', config: { name: 'dense_1', units: 2 } }],
          },
        },
        ...manifest('weight-without-layer', { name: 'other/kernel' }),
      },
    ),
  ];
}
