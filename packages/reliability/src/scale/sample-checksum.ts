/**
 * A cheap checksum over every 4099th byte, enough to tell which fill a large buffer holds
 * without hashing all of it.
 *
 * @example
 * sampleChecksum(new Uint8Array(10)); // 0
 */
export function sampleChecksum(bytes: Uint8Array): number {
  let checksum = 0;
  for (let index = 0; index < bytes.length; index += 4099) {
    checksum = (checksum * 31 + bytes[index]!) >>> 0;
  }
  return checksum;
}
