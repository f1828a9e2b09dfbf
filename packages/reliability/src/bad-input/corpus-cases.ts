import type { CorpusCase, CorpusFormat } from './corpus-case.js';
import { onnxCorpus } from './onnx-corpus.js';
import { safetensorsCorpus } from './safetensors-corpus.js';
import { shardedCorpus } from './sharded-corpus.js';
import { tfjsCorpus } from './tfjs-corpus.js';

/**
 * Every corpus case of a format, in a fixed order. Pure and deterministic: the same bytes on
 * every run, which the reproduction test checks against the committed files.
 *
 * @example
 * corpusCases('onnx').length; // 15
 */
export function corpusCases(format: CorpusFormat): CorpusCase[] {
  switch (format) {
    case 'safetensors':
      return safetensorsCorpus();
    case 'safetensors-sharded':
      return shardedCorpus();
    case 'tfjs':
      return tfjsCorpus();
    case 'onnx':
      return onnxCorpus();
  }
}
