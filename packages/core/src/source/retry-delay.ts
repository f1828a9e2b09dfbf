/**
 * How long to wait before retry number `attempt` (1 for the first retry): exponential
 * backoff from `baseMilliseconds`, capped at `maxMilliseconds`, with "equal jitter" (a random
 * half on top of a fixed half) so many clients that failed together do not retry together,
 * while each still waits at least half the backoff.
 */
export function backoffDelay(
  attempt: number,
  baseMilliseconds: number,
  maxMilliseconds: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMilliseconds, baseMilliseconds * 2 ** Math.max(0, attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/**
 * A `Retry-After` header value in milliseconds from `now`: either delay-seconds or an HTTP
 * date (RFC 9110, section 10.2.3). `undefined` when missing or malformed; a date in the past
 * gives 0.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its month; this also keeps Date.parse from reading "-5" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
