import { CliError } from '../errors/cli-error.js';

const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * Parse a size such as `--max-shard-size 2GB`. Decimal units (`KB`, `MB`, `GB`) are
 * powers of 1000 as in Hugging Face's `max_shard_size`; binary units (`KiB`, `MiB`, `GiB`)
 * are powers of 1024; a bare number is bytes.
 *
 * @example
 * parseByteSize('5MB', '--max-shard-size'); // 5000000
 */
export function parseByteSize(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const multiplier = match === null ? undefined : MULTIPLIERS[(match[2] ?? '').toLowerCase()];
  if (match === null || multiplier === undefined) {
    throw new CliError({
      code: 'CLI_BAD_OPTION',
      message: `${option}: "${text}" is not a size (examples: 500MB, 2GB, 1GiB, 1048576)`,
    });
  }
  const bytes = Math.floor(Number(match[1]) * multiplier);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new CliError({
      code: 'CLI_BAD_OPTION',
      message: `${option}: "${text}" must be a positive size`,
    });
  }
  return bytes;
}
