import { OnnxError } from '../errors/onnx-error.js';
import type { ExternalDataEntry } from './collect-external-data.js';

// What a browser's fetch rejects with when no response came (network down, refused, or a
// cross-origin URL without CORS headers): Chromium, Firefox, Safari.
const NETWORK_FAILURES = [
  'Failed to fetch',
  'NetworkError when attempting to fetch resource.',
  'Load failed',
];

/**
 * The typed error for an `InferenceSession.create` failure that came from onnxruntime-web
 * fetching an `externalDataUrl` file, or `undefined` when `error` is something else (it is then
 * rethrown as it is). onnxruntime-web 1.30 says `failed to load external data file: <url>` for
 * an HTTP error status, and passes fetch's own `TypeError` on when no response came, which
 * does not say which URL failed.
 *
 * @example
 * throw externalDataFetchError(error, entries) ?? error;
 */
export function externalDataFetchError(
  error: unknown,
  entries: readonly ExternalDataEntry[],
): OnnxError | undefined {
  if (!(error instanceof Error)) return undefined;
  const byUrl = entries.filter(
    (entry): entry is ExternalDataEntry & { data: string } => typeof entry.data === 'string',
  );
  for (const entry of byUrl) {
    if (error.message.endsWith(`failed to load external data file: ${entry.data}`)) {
      return new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_MISSING',
        // ReprokitError appends `file`, the URL, to the message.
        message: `external data file "${entry.path}" could not be fetched: the server answered with an error status`,
        file: entry.data,
        cause: error,
      });
    }
  }
  if (byUrl.length === 0 || !(error instanceof TypeError)) return undefined;
  if (!NETWORK_FAILURES.includes(error.message)) return undefined;
  const urls = byUrl.map((entry) => entry.data);
  return new OnnxError({
    code: 'ONNX_EXTERNAL_DATA_MISSING',
    message: `external data could not be fetched${urls.length === 1 ? '' : ` from one of ${urls.join(', ')}`} (${error.message}): no response came, from a network error or a cross-origin URL whose server does not allow this page (CORS)`,
    ...(urls.length === 1 ? { file: urls[0] } : {}),
    cause: error,
  });
}
