import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../src/report/demo-report.js';

// The whole demo in --fast mode, from the TypeScript sources, as a child process: about 30 s
// on 2 idle cores (7 training processes). CI also runs the built demo (`pnpm demo --fast`).
const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const folder = await mkdtemp(join(tmpdir(), 'reprokit-demo-test-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

const node = (args: string[]) =>
  run(process.execPath, ['--conditions=@reprokit/source', '--import', 'tsx', main, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });

describe('pnpm demo --fast', () => {
  it('passes every check and writes a report whose numbers hold up', async () => {
    const jsonPath = join(folder, 'report.json');
    const { stdout } = await node(['--fast', '--seed', '11', '--json', jsonPath]);
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as DemoReport;

    expect(report.passed).toBe(true);
    expect(report.options).toEqual({ seed: 11, epochs: 2, fast: true });
    expect(report.checks.map((check) => [check.step, check.passed])).toEqual([
      [1, true],
      [2, true],
      [2, true],
      [3, true],
      [3, true],
      [4, true],
    ]);
    const [step1, mlpExport, cnnExport, , , step4] = report.checks;
    const fingerprints = step1!.details.fingerprints as string[];
    expect(fingerprints[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprints[1]).toBe(fingerprints[0]);
    expect(step1!.details.otherFingerprint).not.toBe(fingerprints[0]);
    expect(step4!.details.resumed).toBe(fingerprints[0]);
    expect(step4!.details.withoutSeedSnapshot).not.toBe(fingerprints[0]);
    for (const check of [mlpExport!, cnnExport!]) {
      expect(check.details.maxAbsDiffOrt as number).toBeLessThanOrEqual(1e-5);
      expect(check.details.labelAgreement).toBe(1);
    }

    expect(report.inference.map((row) => `${row.model} ${row.runtime}`)).toEqual([
      'mlp tfjs cpu',
      'mlp tfjs wasm',
      'mlp onnxruntime-node',
      'cnn tfjs cpu',
      'cnn tfjs wasm',
      'cnn onnxruntime-node',
    ]);
    for (const row of report.inference) {
      // Better than chance by far, even after a short fast-mode training.
      expect(row.accuracy).toBeGreaterThan(row.model === 'mlp' ? 0.75 : 0.4);
      expect(row.batch).toBe(500);
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    }

    expect(stdout).toContain('✔ 1 reproducibility');
    expect(stdout).not.toContain('✘');
    expect(stdout).toMatch(/mlp\s+onnxruntime-node\s+\d+\.\d%/);
    expect(stdout).toContain('all 6 checks passed');
  }, 600_000);

  it('exits 2 with the usage on a bad flag, before any training', async () => {
    const failure = await node(['--epochs', '1']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(
      '[reprokit] [demo] --epochs must be an integer from 2 to 50, got "1"',
    );
    expect((failure as { stdout: string }).stdout).toBe('');
  }, 120_000);
});
