import { describe, expect, it } from 'vitest';
import { ByteSourceError } from './byte-source-error.js';
import { huggingFaceUrl, shardedIndexFileName } from './hugging-face-url.js';

describe('huggingFaceUrl', () => {
  it('builds resolve URLs for models, datasets and spaces', () => {
    expect(huggingFaceUrl({ repo: 'openai-community/gpt2', file: 'model.safetensors' })).toBe(
      'https://huggingface.co/openai-community/gpt2/resolve/main/model.safetensors',
    );
    expect(huggingFaceUrl({ repo: 'gpt2', file: 'config.json', revision: 'v1.0' })).toBe(
      'https://huggingface.co/gpt2/resolve/v1.0/config.json',
    );
    expect(
      huggingFaceUrl({ repo: 'org/data', file: 'train/part 1.parquet', type: 'dataset' }),
    ).toBe('https://huggingface.co/datasets/org/data/resolve/main/train/part%201.parquet');
    expect(huggingFaceUrl({ repo: 'org/app', file: 'app.py', type: 'space' })).toBe(
      'https://huggingface.co/spaces/org/app/resolve/main/app.py',
    );
  });

  it('encodes a revision as one segment and each file segment on its own', () => {
    expect(
      huggingFaceUrl({ repo: 'org/m', file: 'onnx/model#1?.onnx', revision: 'refs/pr/1' }),
    ).toBe('https://huggingface.co/org/m/resolve/refs%2Fpr%2F1/onnx/model%231%3F.onnx');
    expect(
      huggingFaceUrl({
        repo: 'org/m',
        file: 'f',
        revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      }),
    ).toBe('https://huggingface.co/org/m/resolve/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678/f');
  });

  it('keeps a mirror endpoint path and drops trailing slashes', () => {
    expect(
      huggingFaceUrl({ repo: 'org/m', file: 'f', endpoint: 'http://127.0.0.1:8080/hub/' }),
    ).toBe('http://127.0.0.1:8080/hub/org/m/resolve/main/f');
  });

  it('refuses bad repos, paths, revisions, endpoints and types with SOURCE_INVALID', () => {
    const bad = [
      { repo: 'a/b/c', file: 'f' },
      { repo: '../x', file: 'f' },
      { repo: 'org/m', file: '../secret' },
      { repo: 'org/m', file: 'a//b' },
      { repo: 'org/m', file: '' },
      { repo: 'org/m', file: 'f', revision: '' },
      { repo: 'org/m', file: 'f', endpoint: 'ftp://x' },
      { repo: 'org/m', file: 'f', endpoint: 'https://u:p@x' },
      { repo: 'org/m', file: 'f', type: 'models' as 'model' },
    ];
    for (const file of bad) {
      let caught: unknown;
      try {
        huggingFaceUrl(file);
      } catch (error) {
        caught = error;
      }
      expect(ByteSourceError.isInstance(caught), JSON.stringify(file)).toBe(true);
      expect((caught as ByteSourceError).code).toBe('SOURCE_INVALID');
    }
  });
});

describe('shardedIndexFileName', () => {
  it('names the index beside the shards', () => {
    expect(shardedIndexFileName()).toBe('model.safetensors.index.json');
    expect(shardedIndexFileName('diffusion_pytorch_model.safetensors')).toBe(
      'diffusion_pytorch_model.safetensors.index.json',
    );
  });
});
