import type { ByteSource } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';
import { httpSource } from './http-source.js';
import type { HttpSourceOptions } from './http-source-options.js';
import { type HuggingFaceFile, huggingFaceUrl } from './hugging-face-url.js';
import { toHeaders } from './to-headers.js';

/** A Hub file plus how to read it. */
export interface HuggingFaceSourceOptions extends HuggingFaceFile, Omit<HttpSourceOptions, 'name'> {
  /**
   * A Hugging Face access token (`hf_...`) for private or gated repositories. It is sent as
   * `Authorization: Bearer <token>` to the Hub's origin only (not to the CDN it redirects to)
   * and never appears in the source's `name`, errors or warnings.
   */
  token?: string;
}

// Visible ASCII only: a token with spaces or line breaks would inject or split headers.
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * Open one file of a Hugging Face Hub repository as a lazily read `ByteSource`
 * (`httpSource` over `huggingFaceUrl(options)`), optionally with an access token.
 *
 * @example
 * const source = await huggingFaceSource({
 *   repo: 'my-org/private-model',
 *   file: 'model-00001-of-00004.safetensors',
 *   token: process.env.HF_TOKEN,
 * });
 */
export async function huggingFaceSource(options: HuggingFaceSourceOptions): Promise<ByteSource> {
  const { repo, file, revision, endpoint, type, token, headers, ...rest } = options;
  const url = huggingFaceUrl({ repo, file, revision, endpoint, type });
  const merged = toHeaders(headers, url);
  if (token !== undefined) {
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new ByteSourceError({
        code: 'SOURCE_INVALID',
        message: 'token must be a non-empty string of visible ASCII characters',
        file: url,
      });
    }
    if (merged.has('authorization')) {
      throw new ByteSourceError({
        code: 'SOURCE_INVALID',
        message: 'pass either token or an Authorization header, not both',
        file: url,
      });
    }
    merged.set('authorization', `Bearer ${token}`);
  }
  return await httpSource(url, { ...rest, headers: merged });
}
