/**
 * Whether two byte arrays hold the same bytes. The runtime-neutral suites run in browsers too,
 * where there is no `Buffer.compare`.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let index = 0; index < a.byteLength; index++) {
    if (a[index] !== b[index]) return false;
  }
  return true;
}
