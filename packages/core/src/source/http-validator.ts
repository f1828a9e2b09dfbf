/**
 * What identifies one version of a remote file: its ETag and its Last-Modified date, as the
 * server sent them when the source was opened.
 */
export interface HttpValidator {
  /** The ETag as sent (`"abc"` or `W/"abc"`), or `undefined`. */
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
}

interface HeaderReader {
  get(name: string): string | null;
}

export function readValidator(headers: HeaderReader): HttpValidator {
  const etag = headers.get('etag')?.trim();
  const lastModified = headers.get('last-modified')?.trim();
  return {
    etag: etag === undefined || etag === '' ? undefined : etag,
    lastModified: lastModified === undefined || lastModified === '' ? undefined : lastModified,
  };
}

function isWeak(etag: string): boolean {
  return etag.startsWith('W/');
}

/**
 * The `If-Range` value that makes a server answer 200 with the whole new file instead of a
 * range of it once the file changed: the strong ETag, else the Last-Modified date. A weak
 * ETag is not allowed in If-Range (RFC 9110, section 13.1.5). `undefined` when there is none.
 */
export function ifRangeValue(validator: HttpValidator): string | undefined {
  if (validator.etag !== undefined && !isWeak(validator.etag)) return validator.etag;
  return validator.lastModified;
}

/** Whether any validator was sent at all. */
export function hasValidator(validator: HttpValidator): boolean {
  return validator.etag !== undefined || validator.lastModified !== undefined;
}

/**
 * Says how the answer's validators differ from the ones the source opened with, or
 * `undefined` when none that both carry differ. ETags compare by their opaque tag (a proxy may
 * weaken a strong ETag without the bytes changing).
 */
export function validatorChange(opened: HttpValidator, answer: HttpValidator): string | undefined {
  const tag = (etag: string) => (isWeak(etag) ? etag.slice(2) : etag);
  if (
    opened.etag !== undefined &&
    answer.etag !== undefined &&
    tag(opened.etag) !== tag(answer.etag)
  ) {
    return `its ETag changed from ${opened.etag} to ${answer.etag}`;
  }
  if (
    opened.lastModified !== undefined &&
    answer.lastModified !== undefined &&
    opened.lastModified !== answer.lastModified
  ) {
    return `its Last-Modified date changed from ${opened.lastModified} to ${answer.lastModified}`;
  }
  return undefined;
}
