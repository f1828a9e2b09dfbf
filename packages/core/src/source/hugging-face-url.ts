import { ByteSourceError } from './byte-source-error.js';

/** The kinds of repository on the Hugging Face Hub; each has its own URL prefix. */
export type HuggingFaceRepoType = 'model' | 'dataset' | 'space';

/** Names one file of one revision of a Hugging Face Hub repository. */
export interface HuggingFaceFile {
  /** `owner/name`, e.g. `openai-community/gpt2` (a few old models have no owner: `gpt2`). */
  repo: string;
  /** Path of the file inside the repository, e.g. `model.safetensors` or `onnx/model.onnx`. */
  file: string;
  /** Branch, tag, commit or `refs/pr/<n>`; default `main`. */
  revision?: string;
  /** The Hub's address; default `https://huggingface.co` (a mirror or a private Hub otherwise). */
  endpoint?: string;
  /** Default `model`. */
  type?: HuggingFaceRepoType;
}

export const HUGGING_FACE_ENDPOINT = 'https://huggingface.co';

const REPO_TYPE_PREFIX: Record<HuggingFaceRepoType, string> = {
  model: '',
  dataset: 'datasets/',
  space: 'spaces/',
};

// The Hub's repository names: letters, digits, `_`, `-` and `.`, at most one `owner/`.
const REPO_PART = /^[A-Za-z0-9_.-]+$/;

/**
 * The download URL of one file on the Hugging Face Hub, in its `resolve/<revision>/<file>`
 * layout: `<endpoint>/[datasets/|spaces/]<repo>/resolve/<revision>/<file>`. The revision is
 * one path segment, so `refs/pr/1` is encoded as `refs%2Fpr%2F1`; each segment of `file` is
 * encoded on its own. The Hub answers with a redirect to its CDN for large (LFS or Xet)
 * files; `httpSource` follows it without carrying an `Authorization` header across.
 *
 * @example
 * huggingFaceUrl({ repo: 'openai-community/gpt2', file: 'model.safetensors' });
 * // 'https://huggingface.co/openai-community/gpt2/resolve/main/model.safetensors'
 * huggingFaceUrl({ repo: 'org/data', type: 'dataset', revision: 'refs/pr/1', file: 'a b/c.json' });
 * // 'https://huggingface.co/datasets/org/data/resolve/refs%2Fpr%2F1/a%20b/c.json'
 */
export function huggingFaceUrl(file: HuggingFaceFile): string {
  const label = `${file.repo}/${file.file}`;
  const invalid = (message: string) =>
    new ByteSourceError({ code: 'SOURCE_INVALID', message, file: label });
  const type = file.type ?? 'model';
  if (!Object.hasOwn(REPO_TYPE_PREFIX, type)) {
    throw invalid(`type must be "model", "dataset" or "space", got ${JSON.stringify(type)}`);
  }
  const repoParts = typeof file.repo === 'string' ? file.repo.split('/') : [];
  if (
    repoParts.length < 1 ||
    repoParts.length > 2 ||
    repoParts.some((part) => !REPO_PART.test(part) || part === '.' || part === '..')
  ) {
    throw invalid(`repo must be "owner/name", got ${JSON.stringify(file.repo)}`);
  }
  const revision = file.revision ?? 'main';
  if (typeof revision !== 'string' || revision === '') {
    throw invalid('revision must be a non-empty string');
  }
  const segments = typeof file.file === 'string' ? file.file.split('/') : [''];
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw invalid(
      `file must be a relative path without empty, "." or ".." parts, got ${JSON.stringify(file.file)}`,
    );
  }
  let endpoint: URL;
  try {
    endpoint = new URL(file.endpoint ?? HUGGING_FACE_ENDPOINT);
  } catch {
    throw invalid('endpoint is not a URL');
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    throw invalid(`endpoint must be an http: or https: URL, not ${endpoint.protocol}`);
  }
  if (endpoint.username !== '' || endpoint.password !== '' || endpoint.search !== '') {
    throw invalid('endpoint must not hold credentials or a query; pass a token instead');
  }
  const base = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}`;
  return `${base}/${REPO_TYPE_PREFIX[type]}${file.repo}/resolve/${encodeURIComponent(revision)}/${segments.map(encodeURIComponent).join('/')}`;
}

/**
 * The name of the index of a sharded checkpoint whose unsharded name would be `weightsFile`:
 * `model.safetensors` -> `model.safetensors.index.json`, the file that maps each tensor to
 * its shard (`model-00001-of-00004.safetensors`, ...). Shards sit beside the index.
 *
 * @example
 * const index = huggingFaceUrl({ repo, file: shardedIndexFileName() });
 */
export function shardedIndexFileName(weightsFile = 'model.safetensors'): string {
  return `${weightsFile}.index.json`;
}
