import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCheckpoint } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicFill } from '../../src/fixtures/deterministic-fill.js';
import { sampleChecksum } from '../../src/scale/sample-checksum.js';
import { writeSparseSafetensors } from '../../src/scale/sparse-safetensors.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const probeScript = join(packageRoot, 'src/scale/scale-probe.ts');
const MiB = 1 << 20;

interface ProbeResult {
  tensors: number;
  headerLength: number;
  openMs: number;
  baselineRss: number;
  afterOpenRss: number;
  reads: Array<{ name: string; bytes: number; peakRss: number; checksum: number }>;
}

async function probe(file: string, names: string[]): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@reprokit/source', '--import', 'tsx', probeScript, file, ...names],
    { cwd: packageRoot, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as ProbeResult;
}

const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

describe('scale', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reprokit-scale-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a 4 GiB tensor in a sparse file: inspected and read lazily, peak RSS within 2x the largest tensor read', async () => {
    const path = join(dir, 'huge.safetensors');
    await writeSparseSafetensors(path, [
      { name: 'head', byteLength: MiB, written: true },
      { name: 'huge', byteLength: 4 * 1024 * MiB, written: false },
      { name: 'tail', byteLength: MiB, written: true },
      { name: 'medium', byteLength: 256 * MiB, written: false },
    ]);
    const { size, blocks } = await stat(path);
    expect(size).toBeGreaterThan(4 * 1024 * MiB);

    const result = await probe(path, ['head', 'tail', 'medium']);
    console.log(
      `4 GiB sparse file (${mb(blocks * 512)} on disk): header ${result.headerLength} B opened in ${result.openMs} ms; peak RSS ${mb(result.baselineRss)} before open, ${mb(result.afterOpenRss)} after, ${result.reads.map((read) => `${mb(read.peakRss)} after ${read.name} (${mb(read.bytes)})`).join(', ')}`,
    );
    expect(result.tensors).toBe(4);
    const [head, tail, medium] = result.reads;
    expect(head!.checksum).toBe(sampleChecksum(deterministicFill(new Uint8Array(MiB), 1)));
    expect(tail!.checksum).toBe(sampleChecksum(deterministicFill(new Uint8Array(MiB), 3)));
    expect(medium!.bytes).toBe(256 * MiB);
    expect(medium!.checksum).toBe(0); // a hole reads as zeros
    // Opening reads the header only: the 4 GiB tensor costs nothing until it is read.
    expect(result.afterOpenRss - result.baselineRss).toBeLessThan(16 * MiB);
    // Reading two 1 MiB tensors next to it grows the peak by about their size, not the file's.
    expect(tail!.peakRss - result.baselineRss).toBeLessThan(2 * 2 * MiB + 16 * MiB);
    // The whole process, Node and tsx included, stays within twice the largest tensor read.
    expect(medium!.peakRss).toBeLessThanOrEqual(2 * medium!.bytes);
  }, 300_000);

  it('100,000 tiny tensors: the header parses and single tensors are read without reading the rest', async () => {
    const count = 100_000;
    const tensors = Array.from({ length: count }, (_, index) => {
      const data = new Uint8Array(4);
      new DataView(data.buffer).setUint32(0, index, true);
      return [`block.${index}.scale`, { dtype: 'F32' as const, shape: [1], data }] as const;
    });
    const path = join(dir, 'many.safetensors');
    await writeSafetensors(createCheckpoint(tensors), path);

    const result = await probe(path, ['block.0.scale', 'block.54321.scale', 'block.99999.scale']);
    console.log(
      `100,000 tensors: header ${mb(result.headerLength)} opened in ${result.openMs} ms; peak RSS ${mb(result.baselineRss)} before open, ${mb(result.afterOpenRss)} after`,
    );
    expect(result.tensors).toBe(count);
    const index = (read: ProbeResult['reads'][number]) => read.checksum; // first byte of a U32 LE
    expect(result.reads.map(index)).toEqual([0, 54321 & 0xff, 99999 & 0xff]);
    // Parsing costs memory in proportion to the header (measured here: about 28x its JSON
    // size at the peak, for the parse tree, names and shapes), never to the data.
    expect(result.afterOpenRss - result.baselineRss).toBeLessThan(48 * result.headerLength);
  }, 300_000);
});
