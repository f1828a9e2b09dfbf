import { TfjsArtifactsError } from './tfjs-artifacts-error.js';

/** How a weight is quantized in its shard (tensorflowjs_converter `--quantize_*`). */
export interface WeightQuantization {
  readonly dtype: string;
  readonly scale?: number;
  readonly min?: number;
  readonly original_dtype?: string;
}

/** One weight of a manifest group, as tfjs writes it. */
export interface WeightsManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly group?: string;
  readonly quantization?: WeightQuantization;
}

/** A group: its weights are stored concatenated across `paths`, in order. */
export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightsManifestEntry[];
}

/** The parts of a `model.json` reprokit reads. */
export interface TfjsModelJson {
  readonly modelTopology?: unknown;
  readonly trainingConfig?: unknown;
  readonly weightsManifest: readonly WeightsManifestGroup[];
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly userDefinedMetadata?: unknown;
}

/**
 * Validate a parsed `model.json` object or a bare weights-manifest array and return it as a
 * `TfjsModelJson`. Every structural problem throws `TFJS_ARTIFACT_BAD_MANIFEST` naming the file
 * and, where known, the weight.
 *
 * @example
 * parseTfjsModelJson(JSON.parse(text), 'model.json').weightsManifest[0].paths; // ['group1-shard1of2.bin', ...]
 */
export function parseTfjsModelJson(json: unknown, file: string): TfjsModelJson {
  const bad = (message: string, tensor?: string) =>
    new TfjsArtifactsError({ code: 'TFJS_ARTIFACT_BAD_MANIFEST', message, file, tensor });
  let record: Record<string, unknown>;
  if (Array.isArray(json)) record = { weightsManifest: json };
  else if (typeof json === 'object' && json !== null) record = json as Record<string, unknown>;
  else throw bad('expected a model.json object or a weights-manifest array');
  const manifest = record.weightsManifest;
  if (!Array.isArray(manifest)) throw bad('"weightsManifest" must be an array of groups');
  const groups = manifest.map((group: unknown, groupIndex): WeightsManifestGroup => {
    if (typeof group !== 'object' || group === null)
      throw bad(`group ${groupIndex} is not an object`);
    const { paths, weights } = group as Record<string, unknown>;
    if (!Array.isArray(paths) || !paths.every((path) => typeof path === 'string')) {
      throw bad(`group ${groupIndex}: "paths" must be an array of strings`);
    }
    if (!Array.isArray(weights)) throw bad(`group ${groupIndex}: "weights" must be an array`);
    return {
      paths,
      weights: weights.map((entry: unknown, index) =>
        parseEntry(entry, `group ${groupIndex} weight ${index}`, bad),
      ),
    };
  });
  return {
    modelTopology: record.modelTopology,
    trainingConfig: record.trainingConfig,
    weightsManifest: groups,
    format: typeof record.format === 'string' ? record.format : undefined,
    generatedBy: typeof record.generatedBy === 'string' ? record.generatedBy : undefined,
    convertedBy: typeof record.convertedBy === 'string' ? record.convertedBy : null,
    userDefinedMetadata: record.userDefinedMetadata,
  };
}

function parseEntry(
  entry: unknown,
  where: string,
  bad: (message: string, tensor?: string) => TfjsArtifactsError,
): WeightsManifestEntry {
  if (typeof entry !== 'object' || entry === null) throw bad(`${where} is not an object`);
  const { name, shape, dtype, group, quantization } = entry as Record<string, unknown>;
  if (typeof name !== 'string') throw bad(`${where} has no string "name"`);
  if (
    !Array.isArray(shape) ||
    !shape.every((dim) => typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 0)
  ) {
    throw bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`, name);
  }
  if (typeof dtype !== 'string') throw bad('no string "dtype"', name);
  let parsedQuantization: WeightQuantization | undefined;
  if (quantization !== undefined && quantization !== null) {
    if (typeof quantization !== 'object') throw bad('"quantization" is not an object', name);
    const q = quantization as Record<string, unknown>;
    if (typeof q.dtype !== 'string') throw bad('"quantization.dtype" is not a string', name);
    for (const key of ['scale', 'min'] as const) {
      if (q[key] !== undefined && (typeof q[key] !== 'number' || !Number.isFinite(q[key]))) {
        throw bad(`"quantization.${key}" is not a finite number`, name);
      }
    }
    parsedQuantization = {
      dtype: q.dtype,
      scale: q.scale as number | undefined,
      min: q.min as number | undefined,
      original_dtype: typeof q.original_dtype === 'string' ? q.original_dtype : undefined,
    };
  }
  return {
    name,
    shape: shape as number[],
    dtype,
    group: typeof group === 'string' ? group : undefined,
    quantization: parsedQuantization,
  };
}
