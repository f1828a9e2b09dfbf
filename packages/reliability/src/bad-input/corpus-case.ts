/** The formats of the committed bad-input corpus, one folder each under `corpus/`. */
export const CORPUS_FORMATS = ['safetensors', 'safetensors-sharded', 'tfjs', 'onnx'] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

/** The file a reader opens for a case: `<case><extension>` in the format's folder. */
export const CORPUS_ENTRY_EXTENSION: Record<CorpusFormat, string> = {
  safetensors: '.safetensors',
  'safetensors-sharded': '.safetensors.index.json',
  tfjs: '.json',
  onnx: '.onnx',
};

/**
 * One malformed input: its files (the entry `<name><extension>` and any shard or data file it
 * refers to, all named after the case) and the error code reading it must give.
 */
export interface CorpusCase {
  readonly name: string;
  readonly code: string;
  /** What is wrong, for people reading expected.json's neighbours. */
  readonly why: string;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Encode text as UTF-8. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
