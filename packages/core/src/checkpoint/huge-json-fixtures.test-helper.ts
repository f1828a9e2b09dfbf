/*
 * Realistic big JSON for the parser tests and benchmarks: the index of a large
 * mixture-of-experts model and the header of a safetensors file with many tensors, laid out
 * as the Hugging Face tools write them. Deterministic: the same arguments give the same text.
 */

const PROJECTIONS = ['gate_proj', 'up_proj', 'down_proj'] as const;

/** `count` tensor names of a mixture-of-experts model, in model order. */
export function expertTensorNames(count: number, experts = 256): string[] {
  const names: string[] = [];
  for (let layer = 0; names.length < count; layer++) {
    const attention = ['q_proj', 'k_proj', 'v_proj', 'o_proj'].map(
      (projection) => `model.layers.${layer}.self_attn.${projection}.weight`,
    );
    for (const name of [...attention, `model.layers.${layer}.input_layernorm.weight`]) {
      if (names.length < count) names.push(name);
    }
    for (let expert = 0; expert < experts && names.length < count; expert++) {
      for (const projection of PROJECTIONS) {
        for (const suffix of ['weight', 'weight_scale_inv']) {
          if (names.length < count) {
            names.push(`model.layers.${layer}.mlp.experts.${expert}.${projection}.${suffix}`);
          }
        }
      }
    }
  }
  return names;
}

export interface IndexFixtureOptions {
  entries: number;
  shards?: number;
  /** JSON indentation as `JSON.stringify` takes it; Hugging Face writes 2. */
  indent?: number;
}

/**
 * A `model.safetensors.index.json` with `entries` tensors spread in model order over
 * `shards` files named `model-00042-of-00163.safetensors`, the weight map sorted by name
 * (as `transformers` writes it), with `metadata.total_size`.
 *
 * @example
 * const text = makeShardedIndexText({ entries: 500_000, shards: 163 }); // about 60 MB
 */
export function makeShardedIndexText(options: IndexFixtureOptions): string {
  const shards = options.shards ?? 163;
  const indent = ' '.repeat(options.indent ?? 2);
  const names = expertTensorNames(options.entries);
  const perShard = Math.ceil(names.length / shards);
  const width = 5;
  const total = String(shards).padStart(width, '0');
  const shardOf = new Map<string, string>();
  names.forEach((name, index) => {
    const number = String(Math.floor(index / perShard) + 1).padStart(width, '0');
    shardOf.set(name, `model-${number}-of-${total}.safetensors`);
  });
  const sorted = [...names].sort();
  const lines = sorted.map(
    (name) => `${indent}${indent}${JSON.stringify(name)}: ${JSON.stringify(shardOf.get(name))}`,
  );
  return `{\n${indent}"metadata": {\n${indent}${indent}"total_size": ${names.length * 29_360_128}\n${indent}},\n${indent}"weight_map": {\n${lines.join(',\n')}\n${indent}}\n}\n`;
}

/**
 * The header JSON of a safetensors file with `tensors` BF16 expert weights, compact and in
 * data order as the reference writer lays it out, with `__metadata__` first. `dataLength` is
 * the total of the tensors' bytes (the file is `8 + header + dataLength` bytes).
 *
 * @example
 * const { text, dataLength } = makeSafetensorsHeaderText(100_000);
 */
export function makeSafetensorsHeaderText(tensors: number): { text: string; dataLength: number } {
  const parts = ['{"__metadata__":{"format":"pt"}'];
  let offset = 0;
  for (const name of expertTensorNames(tensors)) {
    const shape = name.includes('down_proj') ? [7168, 2048] : [2048, 7168];
    const bytes = shape[0]! * shape[1]! * 2;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"BF16","shape":[${shape.join(',')}],"data_offsets":[${offset},${offset + bytes}]}`,
    );
    offset += bytes;
  }
  return { text: `${parts.join(',')}}`, dataLength: offset };
}

/** The 8-byte length prefix and the header: the first bytes of the file. */
export function safetensorsHeaderBytes(text: string): Uint8Array {
  const header = new TextEncoder().encode(text);
  const bytes = new Uint8Array(8 + header.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  return bytes;
}
