import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createCheckpoint,
  fromTypedArray,
  type HttpSourceOptions,
  httpSource,
  openSafetensors,
  ReprokitError,
} from '../../../src/index.js';
import { writeSafetensors } from '../../../src/node/index.js';
import { patternBytes } from '../http-fixture.js';
import type { StaticServer } from './static-server.js';

/** What one check saw: `ok`, or the code of the typed error, or `wrong bytes`, or `untyped: ...`. */
export type CheckOutcome = string;

/** The answers the server gave to httpSource's requests, e.g. `206,206` or `200`. */
export interface CheckResult {
  readonly outcome: CheckOutcome;
  readonly statuses: string;
  /** Every `Range` header httpSource sent. */
  readonly ranges: string[];
  readonly warnings: string[];
}

/** httpSource options that record each answer's status and every warning. */
function recording() {
  const statuses: number[] = [];
  const ranges: string[] = [];
  const warnings: string[] = [];
  const options: HttpSourceOptions = {
    fetch: async (input, init) => {
      const range = new Headers(init?.headers).get('range');
      if (range !== null) ranges.push(range);
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    },
    onWarning: (message) => warnings.push(message),
    retries: 1,
    retryDelay: 10,
  };
  return { statuses, ranges, warnings, options };
}

function describeError(error: unknown): CheckOutcome {
  if (ReprokitError.isInstance(error)) return error.code;
  return `untyped: ${String(error)}`;
}

async function check(
  run: (options: HttpSourceOptions) => Promise<boolean>,
  extra: Partial<HttpSourceOptions> = {},
): Promise<CheckResult> {
  const { statuses, ranges, warnings, options } = recording();
  let outcome: CheckOutcome;
  try {
    outcome = (await run({ ...options, ...extra })) ? 'ok' : 'wrong bytes';
  } catch (error) {
    outcome = describeError(error);
  }
  return { outcome, statuses: statuses.join(','), ranges, warnings };
}

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

let counter = 0;
const uniqueName = (stem: string, extension: string) => `${stem}-${counter++}.${extension}`;

/** Four 64 KiB tensors: the last one lies past the 64 kB probe, so it takes a range request. */
const checkpoint = createCheckpoint(
  Array.from({ length: 4 }, (_, layer) => [
    `layer.${layer}.weight`,
    fromTypedArray(
      'F32',
      [128, 128],
      Float32Array.from({ length: 16_384 }, (_, index) => ((index * 13 + layer * 5) % 251) / 7),
    ),
  ]),
);

/** Read a safetensors header, then the last tensor by range, through `openSafetensors`. */
export function checkSafetensorsTensor(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    const name = uniqueName('model', 'safetensors');
    await writeSafetensors(checkpoint, join(server.root, name));
    const file = await openSafetensors(await httpSource(`${server.url}/${name}`, options));
    try {
      const tensor = await file.readTensor('layer.3.weight');
      return equal(
        new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
        new Uint8Array(
          checkpoint.tensors.get('layer.3.weight')!.data.buffer,
          checkpoint.tensors.get('layer.3.weight')!.data.byteOffset,
          checkpoint.tensors.get('layer.3.weight')!.data.byteLength,
        ),
      );
    } finally {
      await file.close();
    }
  });
}

/** Read a small JSON file (a compressible type) whole. */
export function checkSmallJson(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    const name = uniqueName('index', 'json');
    const text = JSON.stringify({
      weight_map: Object.fromEntries(
        Array.from({ length: 40 }, (_, index) => [`layer.${index}`, 'model.safetensors']),
      ),
    });
    const bytes = new TextEncoder().encode(text);
    await writeFile(join(server.root, name), bytes);
    const source = await httpSource(`${server.url}/${name}`, options);
    try {
      return source.size === bytes.length && equal(await source.read(0, bytes.length), bytes);
    } finally {
      await source.close();
    }
  });
}

/** A file that is not there: `SOURCE_HTTP_STATUS` with status 404. */
export function checkMissing(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    try {
      await httpSource(`${server.url}/missing-${counter++}.bin`, options);
    } catch (error) {
      if (ReprokitError.isInstance(error) && (error as { status?: number }).status !== 404) {
        throw new Error(`status ${(error as { status?: number }).status}`);
      }
      throw error;
    }
    return false;
  });
}

/**
 * Open a 300 kB file, replace it with another of the same size and a later mtime, read past
 * the probe: `SOURCE_CHANGED` where the server sends a validator; where the whole file was
 * read at open, the old bytes (one version, never a mix).
 */
export function checkReplaced(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    const name = uniqueName('replaced', 'bin');
    const path = join(server.root, name);
    const before = patternBytes(300_000, 1);
    const after = patternBytes(300_000, 2);
    await writeFile(path, before);
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const source = await httpSource(`${server.url}/${name}`, options);
    try {
      await writeFile(path, after);
      await utimes(path, 1_700_000_100, 1_700_000_100);
      const bytes = await source.read(200_000, 50_000);
      if (equal(bytes, before.subarray(200_000, 250_000))) return true;
      return false;
    } finally {
      await source.close();
    }
  });
}

/**
 * A 300 kB file whose modification time is an hour ahead, read past the probe: to Apache it
 * stays "modified less than a second ago", whose validators it will not serve If-Range by.
 */
export function checkFreshFile(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    const name = uniqueName('fresh', 'bin');
    const path = join(server.root, name);
    const bytes = patternBytes(300_000, 4);
    await writeFile(path, bytes);
    const inAnHour = Date.now() / 1000 + 3600;
    await utimes(path, inAnHour, inAnHour);
    const source = await httpSource(`${server.url}/${name}`, options);
    try {
      return equal(await source.read(100_000, 100_000), bytes.subarray(100_000, 200_000));
    } finally {
      await source.close();
    }
  });
}

/** A 300 kB file with `maxWholeBodyBytes` 100 000: read by range, or refused where Range is ignored. */
export function checkOverWholeLimit(server: StaticServer): Promise<CheckResult> {
  return check(
    async (options) => {
      const name = uniqueName('large', 'bin');
      const bytes = patternBytes(300_000, 3);
      await writeFile(join(server.root, name), bytes);
      const source = await httpSource(`${server.url}/${name}`, options);
      try {
        return equal(await source.read(250_000, 50_000), bytes.subarray(250_000));
      } finally {
        await source.close();
      }
    },
    { maxWholeBodyBytes: 100_000 },
  );
}

/** An empty file: a source of size 0. */
export function checkEmptyFile(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    const name = uniqueName('empty', 'bin');
    await writeFile(join(server.root, name), new Uint8Array(0));
    const source = await httpSource(`${server.url}/${name}`, options);
    try {
      return source.size === 0 && (await source.read(0, 0)).length === 0;
    } finally {
      await source.close();
    }
  });
}

/** A name with a space, `#`-free punctuation and non-ASCII letters, percent-encoded in the URL. */
export function checkEncodedName(server: StaticServer): Promise<CheckResult> {
  return check(async (options) => {
    const name = `modèle d'essai ${counter++} (ü).bin`;
    const bytes = patternBytes(100_000, 5);
    await writeFile(join(server.root, name), bytes);
    const source = await httpSource(`${server.url}/${encodeURIComponent(name)}`, options);
    try {
      return equal(await source.read(70_000, 30_000), bytes.subarray(70_000));
    } finally {
      await source.close();
    }
  });
}

export const interopChecks = {
  'safetensors header + tensor by range': checkSafetensorsTensor,
  'small JSON file whole': checkSmallJson,
  '404': checkMissing,
  'file replaced between requests': checkReplaced,
  '300 kB file, maxWholeBodyBytes 100 000': checkOverWholeLimit,
  'file modified "now" (mtime ahead)': checkFreshFile,
  'empty file': checkEmptyFile,
  'percent-encoded name': checkEncodedName,
} as const;

export type InteropCheckName = keyof typeof interopChecks;
