import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedEverything } from '@reprokit/core';
import type { DemoOptions } from './cli/demo-options.js';
import { loadMnistSplit } from './data/mnist-split.js';
import type { ModelKind } from './models/model-kind.js';
import type { Check } from './report/check.js';
import type { DemoReport, InferenceRow } from './report/demo-report.js';
import { makeDemoPlan } from './steps/demo-plan.js';
import { exactResumeCheck } from './steps/exact-resume-step.js';
import { onnxToTfjsStep } from './steps/onnx-to-tfjs-step.js';
import { reproducibilityCheck } from './steps/reproducibility-step.js';
import { tfjsToOnnxStep } from './steps/tfjs-to-onnx-step.js';
import { limitConcurrency } from './training/limit-concurrency.js';
import { runTrainWorker } from './training/run-train-worker.js';
import type { TrainJob } from './training/train-job.js';

/** Step 1, step 2 and step 3 for each of the two models, step 4. */
const EXPECTED_CHECKS = 6;

export interface RunDemoHooks {
  /** Called with each check as soon as it is known, in step order. */
  onCheck?(check: Check): void;
  /** Progress notes ("training 7 runs in child processes"). */
  onNote?(note: string): void;
}

/**
 * Run the four steps and return the report (the caller prints it and sets the exit code).
 * Every training run is a child process (`train-worker`), at most one per core at a time;
 * steps 2 and 3 run in this process on the files those runs saved. Work files go to a
 * temporary folder that is removed at the end.
 *
 * @example
 * const report = await runDemo(parseDemoOptions(['--fast']), { onCheck: (c) => console.log(c.name) });
 * process.exitCode = report.passed ? 0 : 1;
 */
export async function runDemo(options: DemoOptions, hooks: RunDemoHooks = {}): Promise<DemoReport> {
  const started = performance.now();
  const plan = makeDemoPlan(options);
  const workDir = await mkdtemp(join(tmpdir(), 'reprokit-demo-'));
  const checks: Check[] = [];
  const inference: InferenceRow[] = [];
  const report = (check: Check) => {
    checks.push(check);
    hooks.onCheck?.(check);
  };
  try {
    const gate = limitConcurrency(Math.max(2, Math.min(availableParallelism(), 4)));
    const train = (job: TrainJob) => gate(() => runTrainWorker(job));
    const mlp: TrainJob = {
      model: 'mlp',
      backend: 'wasm',
      seed: plan.seed,
      trainCount: plan.mlp.train,
      testCount: plan.mlp.test,
      epochs: plan.mlp.epochs,
    };
    const weightsPath = (kind: ModelKind) => join(workDir, kind, 'model.safetensors');
    const statePath = join(workDir, 'resume', 'training-state.safetensors');
    for (const folder of ['mlp', 'cnn', 'resume']) await mkdir(join(workDir, folder));
    hooks.onNote?.(
      `training 7 runs in child processes (MLP on wasm: ${plan.mlp.train} digits x ${epochs(plan.mlp.epochs)}; ` +
        `CNN on cpu: ${plan.cnn.train} digits x ${epochs(plan.cnn.epochs)})...`,
    );
    // The CNN is the longest run: start it first.
    const cnnRun = train({
      model: 'cnn',
      backend: 'cpu',
      seed: plan.seed,
      trainCount: plan.cnn.train,
      testCount: plan.cnn.test,
      epochs: plan.cnn.epochs,
      saveWeightsTo: weightsPath('cnn'),
    });
    const firstRun = train({ ...mlp, saveWeightsTo: weightsPath('mlp') });
    const secondRun = train(mlp);
    const otherSeedRun = train({ ...mlp, seed: plan.otherSeed });
    const halfRun = train({ ...mlp, epochs: plan.resumeAfter, saveStateTo: statePath });
    const resumedRun = halfRun.then(() =>
      train({ ...mlp, resume: { from: statePath, mode: 'exact' } }),
    );
    const withoutSeedsRun = halfRun.then(() =>
      train({ ...mlp, resume: { from: statePath, mode: 'weights-and-optimizer-only' } }),
    );
    // Keep every promise observed, so that one failure does not leave unhandled rejections.
    const all = Promise.all([
      cnnRun,
      firstRun,
      secondRun,
      otherSeedRun,
      halfRun,
      resumedRun,
      withoutSeedsRun,
    ]);
    all.catch(() => undefined);

    const [first, second, other] = await Promise.all([firstRun, secondRun, otherSeedRun]);
    report(reproducibilityCheck(plan, first, second, other));

    const tests = new Map(
      (['mlp', 'cnn'] as const).map((kind) => {
        // The same split the training processes drew: mnist's shuffle under the same seed.
        const scope = seedEverything(plan.seed);
        const split = loadMnistSplit(plan[kind].train, plan[kind].test);
        scope.release();
        return [kind, split.test] as const;
      }),
    );
    const trained = { mlp: first, cnn: await cnnRun };
    const step2 = new Map<ModelKind, Awaited<ReturnType<typeof tfjsToOnnxStep>>>();
    for (const kind of ['mlp', 'cnn'] as const) {
      const result = await tfjsToOnnxStep(
        kind,
        weightsPath(kind),
        trained[kind],
        tests.get(kind)!,
        plan.timingRuns,
      );
      step2.set(kind, result);
      inference.push(...result.rows);
      report(result.check);
    }
    for (const kind of ['mlp', 'cnn'] as const) {
      const result = step2.get(kind)!;
      report(
        await onnxToTfjsStep(
          kind,
          result.onnxPath,
          trained[kind],
          tests.get(kind)!,
          result.tfjsLogits,
        ),
      );
    }

    const [resumed, withoutSeeds] = await Promise.all([resumedRun, withoutSeedsRun]);
    report(exactResumeCheck(plan, first, resumed, withoutSeeds));
    await all;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return {
    version: 1,
    passed: checks.length === EXPECTED_CHECKS && checks.every((check) => check.passed),
    options: { seed: plan.seed, epochs: plan.mlp.epochs, fast: plan.fast },
    data: {
      train: plan.mlp.train,
      test: plan.mlp.test,
      cnnTrain: plan.cnn.train,
      cnnEpochs: plan.cnn.epochs,
    },
    checks,
    inference,
    durationMs: performance.now() - started,
    node: process.version,
  };
}

function epochs(count: number): string {
  return `${count} epoch${count === 1 ? '' : 's'}`;
}
