import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Debian's own python3: its ctypes reaches the system glibc whose answers the tests want. */
export const systemPython = '/usr/bin/python3';
const script = fileURLToPath(new URL('./glibc-reference.py', import.meta.url));

export type DoubleFunctionName =
  | 'log'
  | 'sin'
  | 'cos'
  | 'libm-log'
  | 'libm-sin'
  | 'libm-cos'
  | 'exact-log'
  | 'exact-sin'
  | 'exact-cos';
export type FloatFunctionName = 'logf' | 'sincosf';

async function run(name: string, input: Uint8Array): Promise<Uint8Array> {
  const child = spawn(systemPython, [script, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  child.stdin.end(input);
  const code = await exited;
  if (code !== 0) {
    throw new Error(`glibc-reference.py ${name} exited ${code}: ${Buffer.concat(errors)}`);
  }
  const output = Buffer.concat(chunks);
  return new Uint8Array(output.buffer, output.byteOffset, output.byteLength);
}

/** glibc's results for float64 inputs (one result per input). */
export async function glibcDoubles(
  name: DoubleFunctionName,
  inputs: Float64Array,
): Promise<Float64Array> {
  const bytes = await run(
    name,
    new Uint8Array(inputs.buffer, inputs.byteOffset, inputs.byteLength),
  );
  return new Float64Array(bytes.slice().buffer);
}

/** glibc's results for float32 inputs: one per input for logf, (sin, cos) pairs for sincosf. */
export async function glibcFloats(
  name: FloatFunctionName,
  inputs: Float32Array,
): Promise<Float32Array> {
  const bytes = await run(
    name,
    new Uint8Array(inputs.buffer, inputs.byteOffset, inputs.byteLength),
  );
  return new Float32Array(bytes.slice().buffer);
}

/** Whether /usr/bin/python3 exists and imports NumPy (Debian's python3-numpy). */
export function hasSystemNumpy(): boolean {
  const result = spawnSync(systemPython, ['-c', 'import numpy'], { stdio: 'ignore' });
  return result.status === 0;
}
