/**
 * `httpSource` against Debian's nginx on loopback (the repo's test config: sendfile, ETag),
 * with every transferred byte counted by nginx itself (`$bytes_sent` in its access log:
 * status line, headers and body), not by the client.
 *
 * 1. Throughput: a 1 GiB safetensors file read as 4 pieces of 256 MiB (its whole data part)
 *    through `httpSource` range requests, vs the same file fetched whole with `fetch` +
 *    `arrayBuffer()`. Baseline and candidates alternate, median of 5 runs each.
 *    Target >= 0.8x the baseline's throughput.
 * 2. Header only: the 8-byte prefix and the header of a sparse 10 GiB safetensors file, read
 *    through `httpSource` and parsed with the strict header parser, for a small header (fits
 *    the 64 kB probe) and a large one. Target: at most 2 requests and at most header size +
 *    64 kB transferred (64 000 bytes; 65 536 is printed too).
 * 3. One tensor: open, read the header, read one 1 MiB tensor of the 1 GiB file. Target: at
 *    most tensor + header + 64 kB transferred.
 */
import { open, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startNginx } from '@reprokit/http-test-servers';
import { httpSource, parseSafetensorsHeader, readHeaderLength } from '../src/index.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const ROUNDS = 5;
const KB64 = 64_000;
const KIB64 = 65_536;

/** A safetensors header (8-byte prefix + JSON padded to 8 bytes) for `tensors` in order. */
function encodeHeader(
  tensors: Array<[name: string, dtype: string, shape: number[], bytes: number]>,
) {
  const entries: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dtype, shape, bytes] of tensors) {
    entries[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(entries);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const header = new Uint8Array(8 + json.length);
  new DataView(header.buffer).setBigUint64(0, BigInt(json.length), true);
  header.set(new TextEncoder().encode(json), 8);
  return { header, dataLength: offset };
}

/** Write a file made of `header` then `dataLength` bytes; sparse unless `fill`. */
async function writeCheckpoint(
  path: string,
  header: Uint8Array,
  dataLength: number,
  fill: boolean,
) {
  await writeFile(path, header);
  if (!fill) {
    await truncate(path, header.length + dataLength);
    return;
  }
  const handle = await open(path, 'a');
  const block = new Uint8Array(64 * MiB);
  for (let index = 0; index < block.length; index += 4096) block[index] = (index / 4096) & 0xff;
  for (let written = 0; written < dataLength; written += block.length) {
    await handle.write(block, 0, Math.min(block.length, dataLength - written));
  }
  await handle.close();
}

/** Read the prefix and the header the way a lazy reader does, and parse it strictly. */
async function readHeader(url: string) {
  const source = await httpSource(url);
  const prefix = await source.read(0, 8);
  const headerLength = readHeaderLength(prefix, source.size, source.name);
  const bytes = new Uint8Array(8 + headerLength);
  bytes.set(prefix, 0);
  bytes.set(await source.read(8, headerLength), 8);
  const header = parseSafetensorsHeader(bytes, { file: source.name, fileSize: source.size });
  return { source, header };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

const nginx = await startNginx();
try {
  // The 1 GiB checkpoint: four 255 MiB tensors and four 1 MiB tensors, 1 GiB of data.
  const bigPath = join(nginx.root, 'model-1g.safetensors');
  const big = encodeHeader([
    ...[0, 1, 2, 3].map(
      (index) =>
        [`big.${index}`, 'F32', [255 * 256 * 1024], 255 * MiB] as [
          string,
          string,
          number[],
          number,
        ],
    ),
    ...[0, 1, 2, 3].map(
      (index) => [`small.${index}`, 'F32', [256 * 1024], MiB] as [string, string, number[], number],
    ),
  ]);
  await writeCheckpoint(bigPath, big.header, big.dataLength, true);
  const bigUrl = `${nginx.url}/model-1g.safetensors`;
  const dataStart = big.header.length;
  const fileBytes = dataStart + big.dataLength;

  // ---- 1. throughput
  const baseline = async () => {
    const bytes = await (await fetch(bigUrl)).arrayBuffer();
    if (bytes.byteLength !== fileBytes) throw new Error('short read');
  };
  const pieces = [0, 1, 2, 3].map((index) => [dataStart + index * 256 * MiB, 256 * MiB] as const);
  const together = async () => {
    const source = await httpSource(bigUrl);
    const results = await Promise.all(
      pieces.map(([offset, length]) => source.read(offset, length)),
    );
    if (results.some((result, index) => result.length !== pieces[index]![1]))
      throw new Error('short');
    await source.close();
  };
  const oneByOne = async () => {
    const source = await httpSource(bigUrl);
    for (const [offset, length] of pieces) await source.read(offset, length);
    await source.close();
  };
  const cases: Array<[string, () => Promise<void>]> = [
    ['fetch(url) + arrayBuffer(), whole file', baseline],
    ['httpSource, 4 x 256 MiB reads at once', together],
    ['httpSource, 4 x 256 MiB reads one by one', oneByOne],
  ];
  const seconds = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  const sent = new Map<string, number[]>(cases.map(([label]) => [label, []]));
  await baseline(); // warm the page cache and the connection pool
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, run] of cases) {
      collect();
      await nginx.clearAccessLog();
      const start = performance.now();
      await run();
      seconds.get(label)!.push((performance.now() - start) / 1000);
      const log = await nginx.waitForAccessLog(1);
      sent.get(label)!.push(log.reduce((sum, entry) => sum + entry.bytesSent, 0));
    }
  }
  const gib = fileBytes / GiB;
  console.log(
    `1. read a ${gib.toFixed(3)} GiB safetensors file from nginx on loopback, median of ${ROUNDS} runs (alternating)`,
  );
  const baselineSeconds = median(seconds.get(cases[0]![0])!);
  for (const [label] of cases) {
    const runs = seconds.get(label)!;
    const time = median(runs);
    const ratio = baselineSeconds / time;
    console.log(
      `   ${label.padEnd(44)} median ${time.toFixed(3)} s (${(gib / time).toFixed(2)} GiB/s), best ${Math.min(...runs).toFixed(3)} s, nginx sent ${median(sent.get(label)!)} bytes${label === cases[0]![0] ? '' : `, ${ratio.toFixed(2)}x baseline throughput (target >= 0.8: ${ratio >= 0.8 ? 'met' : 'MISSED'})`}`,
    );
  }

  // ---- 2. header of a sparse 10 GiB checkpoint
  console.log('2. read the 8-byte prefix and the header of a sparse 10 GiB safetensors file');
  for (const count of [200, 2000]) {
    const tensors: Array<[string, string, number[], number]> = [];
    const total = 10 * GiB;
    const each = Math.floor(total / count / 4) * 4;
    for (let index = 0; index < count; index++) {
      tensors.push([`model.layers.${index}.mlp.weight`, 'F32', [each / 4], each]);
    }
    const encoded = encodeHeader(tensors);
    const path = join(nginx.root, `sparse-${count}.safetensors`);
    await writeCheckpoint(path, encoded.header, encoded.dataLength, false);
    await nginx.clearAccessLog();
    const { source, header } = await readHeader(`${nginx.url}/sparse-${count}.safetensors`);
    await source.close();
    const log = await nginx.waitForAccessLog(1);
    const transferred = log.reduce((sum, entry) => sum + entry.bytesSent, 0);
    const headerBytes = 8 + header.headerLength;
    const budget = headerBytes + KB64;
    console.log(
      `   ${count} tensors, ${(source.size / GiB).toFixed(2)} GiB file, header ${headerBytes} bytes: ${log.length} requests (target <= 2: ${log.length <= 2 ? 'met' : 'MISSED'}), ${transferred} bytes sent by nginx = header + ${transferred - headerBytes} (target <= header + 64 000 = ${budget}: ${transferred <= budget ? 'met' : 'MISSED'}; <= header + 65 536: ${transferred <= headerBytes + KIB64 ? 'met' : 'MISSED'}); ranges ${log.map((entry) => entry.range).join(', ')}`,
    );
    await rm(path);
  }

  // ---- 3. one 1 MiB tensor of the 1 GiB file
  await nginx.clearAccessLog();
  const { source, header } = await readHeader(bigUrl);
  const info = header.tensors.get('small.2')!;
  const tensor = await source.read(header.dataStart + info.begin, info.end - info.begin);
  await source.close();
  const log = await nginx.waitForAccessLog(2);
  const transferred = log.reduce((sum, entry) => sum + entry.bytesSent, 0);
  const headerBytes = header.dataStart;
  const budget = tensor.length + headerBytes + KB64;
  console.log(
    `3. one ${tensor.length}-byte tensor of the 1 GiB file (header ${headerBytes} bytes): ${log.length} requests, ${transferred} bytes sent by nginx = tensor + header + ${transferred - tensor.length - headerBytes} (target <= tensor + header + 64 000 = ${budget}: ${transferred <= budget ? 'met' : 'MISSED'}; <= tensor + header + 65 536: ${transferred <= tensor.length + headerBytes + KIB64 ? 'met' : 'MISSED'}); ranges ${log.map((entry) => entry.range).join(', ')}`,
  );
  console.log(
    '   (nginx counts status line and headers too; timings come from a shared 2-core machine)',
  );
} finally {
  await nginx.stop();
}
