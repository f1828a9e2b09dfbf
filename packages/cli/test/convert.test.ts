import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCheckpoint, fingerprint, fromTypedArray, toTypedArray } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, requireBuiltCli, runBuiltCli } from './built-cli.js';
import { denseCheckpoint, denseOnnxTemplate, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);

const halfAndLong = createCheckpoint([
  ['half', fromTypedArray('F16', [3], Float32Array.from([0.5, -1.25, 65504]))],
  ['steps', fromTypedArray('I64', [2], BigInt64Array.from([7n, -3n]))],
]);

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await writeSafetensors(denseCheckpoint(), file('dense.safetensors'));
  await writeSafetensors(halfAndLong, file('half-and-long.safetensors'));
  await writeSafetensors(
    createCheckpoint([['big', fromTypedArray('I64', [1], BigInt64Array.from([1n << 40n]))]]),
    file('too-big.safetensors'),
  );
  await writeFile(file('broken.safetensors'), Buffer.from('broken'));
  await writeFile(file('template.onnx'), denseOnnxTemplate());
  const half = createCheckpoint(
    [...denseCheckpoint().tensors].map(([name, tensor]) => [
      name,
      fromTypedArray('F16', tensor.shape, toTypedArray(tensor) as Float32Array),
    ]),
  );
  await writeSafetensors(half, file('half-dense.safetensors'));
});
afterAll(() => folder.cleanup());

describe('dtype casts into tfjs', () => {
  it('converts F16 and I64 with a note on stderr, keeping every value', async () => {
    const run = await runBuiltCli(['convert', file('half-and-long.safetensors'), file('cast')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'reprokit: note: tfjs cannot hold F16: converted 1 tensor(s) to F32 (exact): "half"',
    );
    expect(run.stderr).toContain(
      'reprokit: note: tfjs cannot hold I64: converted 1 tensor(s) to I32 (exact, every value fits): "steps"',
    );
    const back = await runBuiltCli(['convert', file('cast/model.json'), file('cast.safetensors')]);
    expect(back.code).toBe(0);
    const checkpoint = await readSafetensors(file('cast.safetensors'));
    const half = checkpoint.tensors.get('half')!;
    const steps = checkpoint.tensors.get('steps')!;
    expect(half.dtype).toBe('F32');
    expect([...new Float32Array(half.data.slice().buffer)]).toEqual([0.5, -1.25, 65504]);
    expect(steps.dtype).toBe('I32');
    expect([...new Int32Array(steps.data.slice().buffer)]).toEqual([7, -3]);
  });

  it('--quiet drops the notes', async () => {
    const run = await runBuiltCli([
      'convert',
      file('half-and-long.safetensors'),
      file('quiet'),
      '--quiet',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('--no-cast refuses, naming the tensor, and writes nothing', async () => {
    const run = await runBuiltCli([
      'convert',
      file('half-and-long.safetensors'),
      file('refused'),
      '--no-cast',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"half" (F16 -> F32)');
    expect(run.stderr).toContain('"steps" (I64 -> I32)');
    expect(run.stderr).toContain('--no-cast');
    await expect(readdir(file('refused'))).rejects.toThrow();
  });

  it('refuses an I64 value that does not fit in I32', async () => {
    const run = await runBuiltCli(['convert', file('too-big.safetensors'), file('too-big')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('1099511627776');
    expect(run.stderr).toContain('tensor "big"');
  });
});

describe('dtype casts into an ONNX template', () => {
  it('converts F16 weights to the F32 the template stores, with a note', async () => {
    const run = await runBuiltCli([
      'convert',
      file('half-dense.safetensors'),
      file('from-half.onnx'),
      '--template',
      file('template.onnx'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `reprokit: note: ${file('template.onnx')} stores F32 where the input has F16: converted 2 tensor(s) to F32 (exact): "dense/bias", "dense/kernel"\n`,
    );
    // Bitwise, an F16 file and its F32 conversion differ; by value (any tolerance) they agree.
    const bitwise = await runBuiltCli([
      'diff',
      file('half-dense.safetensors'),
      file('from-half.onnx'),
      '--json',
    ]);
    expect(bitwise.code).toBe(1);
    expect(JSON.parse(bitwise.stdout).tensors.map((t: { status: string }) => t.status)).toEqual([
      'dtype-mismatch',
      'dtype-mismatch',
    ]);
    const byValue = await runBuiltCli([
      'diff',
      file('half-dense.safetensors'),
      file('from-half.onnx'),
      '--atol',
      '0',
      '--json',
    ]);
    expect(byValue.code).toBe(0);
    const report = JSON.parse(byValue.stdout);
    expect(
      report.tensors.map((t: { status: string; maxAbsDiff: number }) => [t.status, t.maxAbsDiff]),
    ).toEqual([
      ['close', 0],
      ['close', 0],
    ]);
    expect(report.tensors[0].a.dtype).toBe('F16');
    expect(report.tensors[0].b.dtype).toBe('F32');
    // A changed value is still found across dtypes: F16 rounding moved these weights.
    const other = await runBuiltCli([
      'diff',
      file('half-dense.safetensors'),
      file('dense.safetensors'),
      '--atol',
      '1e-9',
    ]);
    expect(other.code).toBe(1);
  });

  it('--no-cast refuses and leaves an existing output as it was', async () => {
    await writeFile(file('kept.onnx'), 'old model');
    const run = await runBuiltCli([
      'convert',
      file('half-dense.safetensors'),
      file('kept.onnx'),
      '--template',
      file('template.onnx'),
      '--no-cast',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refused by --no-cast');
    expect(await readFile(file('kept.onnx'), 'utf8')).toBe('old model');
  });
});

describe('an existing output', () => {
  it('is left unchanged when the conversion fails', async () => {
    const original = Buffer.from('previous output: must survive');
    await mkdir(file('keep'));
    for (const [input, output, extra] of [
      [file('broken.safetensors'), file('keep.safetensors'), []],
      [file('dense.safetensors'), file('keep.onnx'), []],
      [file('half-and-long.safetensors'), file('keep/model.json'), ['--no-cast']],
      [file('dense.safetensors'), file('keep.safetensors'), ['--template', file('nothing.onnx')]],
    ] as const) {
      await writeFile(output, original);
      const run = await runBuiltCli(['convert', input, output, ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(await readFile(output)).toEqual(original);
    }
  });

  it('a tfjs folder is replaced whole: stale shards go', async () => {
    const three = await runBuiltCli([
      'convert',
      file('dense.safetensors'),
      file('web-replace'),
      '--max-shard-size',
      '12',
    ]);
    expect(three.code).toBe(0);
    expect((await readdir(file('web-replace'))).sort()).toEqual([
      'group1-shard1of3.bin',
      'group1-shard2of3.bin',
      'group1-shard3of3.bin',
      'model.json',
    ]);
    const one = await runBuiltCli(['convert', file('dense.safetensors'), file('web-replace')]);
    expect(one.code).toBe(0);
    expect((await readdir(file('web-replace'))).sort()).toEqual([
      'group1-shard1of1.bin',
      'model.json',
    ]);
    const fingerprintRun = await runBuiltCli(['fingerprint', file('web-replace')]);
    expect(fingerprintRun.stdout.trim()).toBe(fingerprint(denseCheckpoint()));
  });

  it('a failed tfjs conversion leaves the old folder as it was', async () => {
    await mkdir(file('web-kept'));
    await writeFile(file('web-kept/model.json'), 'old model.json');
    await writeFile(file('not-a-template.json'), '{"weightsManifest": []}');
    const run = await runBuiltCli([
      'convert',
      file('dense.safetensors'),
      file('web-kept'),
      '--template',
      file('not-a-template.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a tfjs template must be a model.json with a modelTopology');
    expect(await readdir(file('web-kept'))).toEqual(['model.json']);
    expect(await readFile(file('web-kept/model.json'), 'utf8')).toBe('old model.json');
    expect(
      (await readdir(folder.path)).filter((name) => name.includes('reprokit-staging')),
    ).toEqual([]);
  });

  it('is replaced when the conversion succeeds', async () => {
    await writeFile(file('replace.safetensors'), 'old');
    const run = await runBuiltCli([
      'convert',
      file('dense.safetensors'),
      file('replace.safetensors'),
    ]);
    expect(run.code).toBe(0);
    expect(fingerprint(await readSafetensors(file('replace.safetensors')))).toBe(
      fingerprint(denseCheckpoint()),
    );
  });

  /** Run a conversion that stops at `stage` (announced on stderr), then send it `signal`. */
  const interruptAt = async (args: string[], stage: string, signal: NodeJS.Signals) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, REPROKIT_CLI_PAUSE_AT: stage },
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, how) => resolve({ code, signal: how })),
    );
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes(`reprokit: paused at ${stage}\n`)) resolve();
      });
      exited.then(() => reject(new Error(`the conversion ended before ${stage}: ${stderr}`)));
    });
    child.kill(signal);
    return exited;
  };

  it('is either the old file or the complete new one when the process is killed at any stage', async () => {
    const values = new Float32Array(1024 * 1024);
    for (let index = 0; index < values.length; index++) values[index] = index % 251;
    const large = createCheckpoint([['w', fromTypedArray('F32', [values.length], values)]]);
    await writeSafetensors(large, file('large.safetensors'));
    const old = Buffer.from('old output');
    const output = file('killed.safetensors');
    for (const stage of ['encoded', 'writing', 'committed']) {
      await writeFile(output, old);
      const exit = await interruptAt(
        ['convert', file('large.safetensors'), output],
        stage,
        'SIGKILL',
      );
      // Killed by the signal at the stage it announced, not before or after it.
      expect(exit, stage).toEqual({ code: null, signal: 'SIGKILL' });
      const after = await readFile(output);
      if (stage === 'committed') {
        expect(fingerprint(await readSafetensors(output)), stage).toBe(fingerprint(large));
      } else {
        expect(after.equals(old), stage).toBe(true);
      }
    }
  }, 300_000);

  it('Ctrl-C during an ONNX conversion leaves the old model or the complete new one, at every stage', async () => {
    const count = 256 * 1024;
    const values = new Float32Array(count);
    for (let index = 0; index < count; index++) values[index] = index % 13;
    const weights = createCheckpoint([['w', fromTypedArray('F32', [count], values)]]);
    await writeSafetensors(weights, file('interrupted.safetensors'));
    await writeFile(
      file('big-template.onnx'),
      denseOnnxTemplate(new Map([['w', { dtype: 'F32' as const, shape: [count] }]])),
    );
    await mkdir(file('onnx-interrupted'));
    const output = file('onnx-interrupted/model.onnx');
    const args = [
      'convert',
      file('interrupted.safetensors'),
      output,
      '--template',
      file('big-template.onnx'),
      '--external',
    ];
    const stages = ['encoded', 'writing', 'staged', 'committed-staged', 'settled', 'committed'];
    for (const [index, stage] of stages.entries()) {
      await writeFile(output, 'old model');
      const exit = await interruptAt(args, stage, 'SIGINT');
      expect(exit, stage).toEqual({ code: null, signal: 'SIGINT' });
      if (index < stages.indexOf('committed-staged')) {
        expect(await readFile(output, 'utf8'), stage).toBe('old model');
      } else {
        const run = await runBuiltCli(['fingerprint', output]);
        expect(run.stdout.trim(), stage).toBe(fingerprint(weights));
      }
    }
    // The next conversion finishes and leaves no staged file, lock or journal behind.
    expect((await runBuiltCli(args)).code).toBe(0);
    expect((await readdir(file('onnx-interrupted'))).sort()).toEqual([
      'model.onnx',
      'model.safetensors',
    ]);
  }, 300_000);
});
