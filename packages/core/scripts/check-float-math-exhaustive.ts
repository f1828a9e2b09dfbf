/**
 * Exhaustive check of glibcLogf and glibcSincosf against this machine's glibc: every float32
 * from +0 up to Math.fround(2*pi) (0x00000000..0x40c90fdb, 1,086,918,620 values, which holds all
 * of [0, 1] and [0, 2*pi]). Too long for the test suite (tens of minutes); run by hand:
 *
 *   cd packages/core && node --import tsx scripts/check-float-math-exhaustive.ts [FIRST LAST]
 *
 * FIRST and LAST (bit patterns, inclusive) narrow the range. Needs a C compiler (`cc`): a small
 * helper (glibc-float-math-dump.c) calls libm's logf and sincosf through dlsym, which resolves to
 * the same ifunc-selected functions as CPython's ctypes; a 100,000-value sample is also checked
 * through /usr/bin/python3 and ctypes to tie the two together. It also measures what FMA
 * contraction changes: on the known Debian glibc 2.36 build it calls the non-FMA (SSE2) variants
 * by their offsets inside libm.so.6 and counts where their results differ from the FMA ones.
 * Exits 1 if any result of the ports differs from glibc.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { glibcLogf } from '../src/math/glibc-logf.js';
import { glibcFloats } from '../src/math/glibc-reference.test-helper.js';
import { glibcSincosf } from '../src/math/glibc-sincosf.js';

// Offsets in Debian's libm.so.6 of glibc 2.36-9+deb12u14 (x86-64): __logf_fma, __logf_sse2,
// __sincosf_fma, __sincosf_sse2 (read from the ifunc resolvers' disassembly).
const knownOffsets = ['0x72db0', '0x3de50', '0x734b0', '0x72500'];
const oneBits = 0x3f800000;
const first = Number(process.argv[2] ?? 0);
const last = Number(process.argv[3] ?? 0x40c90fdb);

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

const cpuFlags =
  readFileSync('/proc/cpuinfo', 'utf8')
    .match(/^flags\s*:(.*)$/m)?.[1]
    ?.split(/\s+/) ?? [];
console.log(`CPU: fma ${cpuFlags.includes('fma')}, avx2 ${cpuFlags.includes('avx2')}`);
console.log(execFileSync('ldd', ['--version'], { encoding: 'utf8' }).split('\n')[0]);

const workDirectory = mkdtempSync(join(tmpdir(), 'reprokit-float-math-'));
const helper = join(workDirectory, 'glibc-float-math-dump');
const source = fileURLToPath(new URL('./glibc-float-math-dump.c', import.meta.url));
execFileSync('cc', ['-O2', '-o', helper, source, '-ldl'], { stdio: 'inherit' });

// Tie the helper to the stated ground truth: ctypes from Debian's python3, on a sample.
{
  const sample = new Float32Array(100_000);
  const sampleBits = new Uint32Array(sample.buffer);
  for (let i = 0; i < sample.length; i++) {
    sampleBits[i] = Math.min(last, first + Math.floor(((last - first) * i) / sample.length));
  }
  const viaPython = await glibcFloats('logf', sample);
  const viaPythonSincos = await glibcFloats('sincosf', sample);
  const helperRecords = new Float32Array(
    new Uint8Array(
      execFileSync(helper, ['-', '-'], {
        input: new Uint8Array(sample.buffer),
        maxBuffer: 1 << 26,
      }),
    ).buffer,
  );
  let differences = 0;
  for (let i = 0; i < sample.length; i++) {
    if (
      !same(helperRecords[6 * i]!, viaPython[i]!) ||
      !same(helperRecords[6 * i + 1]!, viaPythonSincos[2 * i]!) ||
      !same(helperRecords[6 * i + 2]!, viaPythonSincos[2 * i + 1]!)
    ) {
      differences++;
    }
  }
  console.log(
    `helper vs python ctypes on ${sample.length} sampled values: ${differences} differences`,
  );
}

interface Counts {
  checked: number;
  logf: number;
  sin: number;
  cos: number;
  logfFmaEffect: number;
  sinFmaEffect: number;
  cosFmaEffect: number;
}
const newCounts = (): Counts => ({
  checked: 0,
  logf: 0,
  sin: 0,
  cos: 0,
  logfFmaEffect: 0,
  sinFmaEffect: 0,
  cosFmaEffect: 0,
});
const upToOne = newCounts();
const aboveOne = newCounts();
const examples: string[] = [];
const fmaExamples: string[] = [];
let sse2Available = true;

const child = spawn(helper, [String(first), String(last), ...knownOffsets], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
const recordBytes = 24;
let pending: Buffer = Buffer.alloc(0);
let bits = first;
const started = Date.now();
let nextReport = first + 0x4000000;
const floats = new Float32Array(6);
const floatBytes = new Uint8Array(floats.buffer);

for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
  const data: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
  const whole = data.length - (data.length % recordBytes);
  for (let offset = 0; offset < whole; offset += recordBytes, bits++) {
    floatBytes.set(data.subarray(offset, offset + recordBytes));
    const input = new Float32Array(new Uint32Array([bits]).buffer)[0]!;
    const counts = bits <= oneBits ? upToOne : aboveOne;
    counts.checked++;
    const logf = glibcLogf(input);
    const [sine, cosine] = glibcSincosf(input);
    if (!same(logf, floats[0]!)) {
      counts.logf++;
      if (examples.length < 10) examples.push(`logf(${input}) ours ${logf} glibc ${floats[0]}`);
    }
    if (!same(sine, floats[1]!)) {
      counts.sin++;
      if (examples.length < 10) examples.push(`sinf(${input}) ours ${sine} glibc ${floats[1]}`);
    }
    if (!same(cosine, floats[2]!)) {
      counts.cos++;
      if (examples.length < 10) examples.push(`cosf(${input}) ours ${cosine} glibc ${floats[2]}`);
    }
    if (Number.isNaN(floats[3]!) && !Number.isNaN(floats[0]!)) sse2Available = false;
    if (!same(floats[0]!, floats[3]!)) {
      counts.logfFmaEffect++;
      if (fmaExamples.length < 5)
        fmaExamples.push(`logf(${input}): fma ${floats[0]} sse2 ${floats[3]}`);
    }
    if (!same(floats[1]!, floats[4]!)) {
      counts.sinFmaEffect++;
      if (fmaExamples.length < 5)
        fmaExamples.push(`sinf(${input}): fma ${floats[1]} sse2 ${floats[4]}`);
    }
    if (!same(floats[2]!, floats[5]!)) {
      counts.cosFmaEffect++;
      if (fmaExamples.length < 5)
        fmaExamples.push(`cosf(${input}): fma ${floats[2]} sse2 ${floats[5]}`);
    }
  }
  pending = data.subarray(whole);
  if (bits >= nextReport) {
    nextReport += 0x4000000;
    const done = (bits - first) / (last - first + 1);
    console.log(
      `${(100 * done).toFixed(1)}% after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
}
const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
rmSync(workDirectory, { recursive: true, force: true });
if (exitCode !== 0 || bits !== last + 1) {
  console.error(`helper exited ${exitCode} after ${bits - first} values`);
  process.exit(1);
}

function report(label: string, counts: Counts): void {
  console.log(
    `${label}: ${counts.checked} floats; ours vs glibc mismatches: logf ${counts.logf}, sinf ${counts.sin}, cosf ${counts.cos}` +
      (sse2Available
        ? `; glibc FMA vs non-FMA variants differ: logf ${counts.logfFmaEffect}, sinf ${counts.sinFmaEffect}, cosf ${counts.cosFmaEffect}`
        : '; non-FMA variants not located on this libm build'),
  );
}
report(`[0x${first.toString(16)}, 1]`, upToOne);
report(`(1, 0x${last.toString(16)}]`, aboveOne);
for (const example of examples) console.log(`  mismatch: ${example}`);
for (const example of fmaExamples) console.log(`  FMA effect: ${example}`);
console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(
  upToOne.logf + upToOne.sin + upToOne.cos + aboveOne.logf + aboveOne.sin + aboveOne.cos === 0
    ? 0
    : 1,
);
