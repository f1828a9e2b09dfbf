// Query parameters whose value is a secret or lets someone act as the owner: presigned S3
// (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token), Google Cloud Storage
// (X-Goog-Signature), CloudFront (Signature, Policy, Key-Pair-Id), Azure SAS (sig), and the
// usual token, key and password names. Masking a harmless one is cheap; leaking one is not.
const SECRET_PARAMETER = /sig|token|credential|secret|password|passwd|key|auth|session|policy/i;

/** What replaces a secret in a redacted URL. */
export const REDACTED = '***';

/**
 * The URL with its secrets masked, fit for error messages, logs and a source's `name`: a
 * user name and password become `***`, so do the values of query parameters that look like
 * signatures, credentials or tokens; the fragment is dropped. Other parts stay as written.
 * Text that is not an absolute URL is returned as `<invalid URL>`.
 *
 * @example
 * redactUrl('https://bucket.s3.amazonaws.com/model.safetensors?X-Amz-Signature=abc&X-Amz-Expires=60');
 * // 'https://bucket.s3.amazonaws.com/model.safetensors?X-Amz-Signature=***&X-Amz-Expires=60'
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid URL>';
  }
  const credentials =
    parsed.username !== '' || parsed.password !== ''
      ? `${parsed.username === '' ? '' : REDACTED}${parsed.password === '' ? '' : `:${REDACTED}`}@`
      : '';
  const host = parsed.host;
  const query = parsed.search === '' ? '' : `?${redactQuery(parsed.search.slice(1))}`;
  return `${parsed.protocol}//${credentials}${host}${parsed.pathname}${query}`;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const rawName = equals === -1 ? part : part.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replaceAll('+', ' '));
      } catch {
        // A malformed escape: test the raw text.
      }
      if (!SECRET_PARAMETER.test(name)) return part;
      return equals === -1 ? part : `${rawName}=${REDACTED}`;
    })
    .join('&');
}
