import {
  type Checkpoint,
  type CheckpointAdapter,
  type CheckpointTensor,
  createCheckpoint,
  type Dtype,
  fingerprint,
  ReprokitError,
  type WriteReport,
} from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from './bytes-equal.js';

/** What a runtime's test file provides to `describeCheckpointAdapter`. */
export interface CheckpointAdapterFixture<M> {
  readonly adapter: CheckpointAdapter<M>;
  /**
   * A fresh model. Every call gives the same structure and different weights (so that a write
   * that never reaches what the runtime computes with is caught: `predict-after-write` checks it).
   * The model needs at least two tensors and at least one F32 or F64 tensor.
   */
  createModel(): Promise<M>;
  /**
   * Outputs of `model` on a fixed input, computed by the runtime from the weights it executes, to
   * prove written weights are the ones used.
   */
  predict?(model: M): Promise<number[]>;
  /** Free a model's resources (tensors, sessions). */
  dispose?(model: M): void | Promise<void>;
}

/** The checks the suite runs; each can be skipped with a written reason. */
export type CheckpointAdapterCheck =
  | 'read-write-identity'
  | 'strict-missing'
  | 'strict-unexpected'
  | 'strict-shape'
  | 'strict-dtype'
  | 'non-strict-report'
  | 'fingerprint-stable'
  | 'predict-after-write';

export interface CheckpointAdapterCapabilities {
  /** Checks this runtime cannot run, each with the reason, shown in the test name. */
  readonly skip?: Partial<Record<CheckpointAdapterCheck, string>>;
  /** The dtype swapped in for the dtype-mismatch check; default: I32 for an F32 tensor, else F32. */
  readonly mismatchDtype?: Dtype;
}

/**
 * Registers the checkpoint-adapter contract tests for one runtime, runtime-neutral: read then
 * write is the identity (bitwise, same `fingerprint`); a strict write rejects a missing, an unexpected,
 * a shape-mismatched and a dtype-mismatched tensor, each with `CHECKPOINT_MISMATCH`, and leaves
 * the model unchanged; a non-strict write loads what fits (bitwise) and reports the rest; two
 * fresh instances have the same names, dtypes and shapes, and the same fingerprint once given the
 * same weights; predictions change with a write, to those of another model given the same weights.
 *
 * @example
 * describeCheckpointAdapter('tfjs', async () => ({
 *   adapter: tfjsCheckpoint({ tf }),
 *   createModel: async () => tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] }),
 * }));
 */
export function describeCheckpointAdapter<M>(
  name: string,
  factory: () => CheckpointAdapterFixture<M> | Promise<CheckpointAdapterFixture<M>>,
  capabilities: CheckpointAdapterCapabilities = {},
): void {
  const check = (id: CheckpointAdapterCheck, title: string, body: () => Promise<void>) => {
    const reason = capabilities.skip?.[id];
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body);
    else it(title, body);
  };

  const withModels = async <T>(
    count: number,
    body: (fixture: CheckpointAdapterFixture<M>, models: M[]) => Promise<T>,
  ): Promise<T> => {
    const fixture = await factory();
    const models: M[] = [];
    try {
      for (let index = 0; index < count; index++) models.push(await fixture.createModel());
      return await body(fixture, models);
    } finally {
      for (const model of models) await fixture.dispose?.(model);
    }
  };

  const expectRejected = async (
    fixture: CheckpointAdapterFixture<M>,
    model: M,
    checkpoint: Checkpoint,
    expectReport: (report: WriteReport) => void,
  ) => {
    const before = await fixture.adapter.read(model);
    let caught: unknown;
    try {
      await fixture.adapter.write(model, checkpoint);
    } catch (error) {
      caught = error;
    }
    expect(ReprokitError.isInstance(caught)).toBe(true);
    const error = caught as ReprokitError & { report?: WriteReport };
    expect(error.code).toBe('CHECKPOINT_MISMATCH');
    expect(error.report).toBeDefined();
    expectReport(error.report!);
    expectSameTensors(await fixture.adapter.read(model), before);
  };

  describe(`CheckpointAdapter conformance: ${name}`, () => {
    check('read-write-identity', 'read then write is the identity, bitwise', async () => {
      await withModels(2, async ({ adapter }, [source, target]) => {
        const original = await adapter.read(source!);
        expectSameTensors(await adapter.read(source!), original);
        const changed = perturb(original);
        const report = await adapter.write(target!, changed);
        expect(report.loaded).toEqual([...changed.tensors.keys()]);
        expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
        const back = await adapter.read(target!);
        expectSameTensors(back, changed);
        expect(fingerprint(back)).toBe(fingerprint(changed));
      });
    });

    check(
      'strict-missing',
      'strict write rejects a missing tensor and changes nothing',
      async () => {
        await withModels(1, async (fixture, [model]) => {
          const changed = perturb(await fixture.adapter.read(model!));
          const [first] = changed.tensors.keys();
          changed.tensors.delete(first!);
          await expectRejected(fixture, model!, changed, (report) => {
            expect(report.missing.map((entry) => entry.name)).toEqual([first]);
            expect(report.unexpected).toEqual([]);
            expect(report.mismatched).toEqual([]);
          });
        });
      },
    );

    check(
      'strict-unexpected',
      'strict write rejects an unexpected tensor and changes nothing',
      async () => {
        await withModels(1, async (fixture, [model]) => {
          const changed = perturb(await fixture.adapter.read(model!));
          const extra = 'reprokit_conformance_extra/kernel';
          changed.tensors.set(extra, { dtype: 'F32', shape: [1], data: new Uint8Array(4) });
          await expectRejected(fixture, model!, changed, (report) => {
            expect(report.unexpected.map((entry) => entry.name)).toEqual([extra]);
            expect(report.missing).toEqual([]);
            expect(report.mismatched).toEqual([]);
          });
        });
      },
    );

    check('strict-shape', 'strict write rejects a shape mismatch and changes nothing', async () => {
      await withModels(1, async (fixture, [model]) => {
        const changed = perturb(await fixture.adapter.read(model!));
        const [first, tensor] = [...changed.tensors][0]!;
        changed.tensors.set(first, { ...tensor, shape: [...tensor.shape, 1] });
        await expectRejected(fixture, model!, changed, (report) => {
          expect(report.mismatched).toEqual([
            {
              name: first,
              expected: { dtype: tensor.dtype, shape: [...tensor.shape] },
              actual: { dtype: tensor.dtype, shape: [...tensor.shape, 1] },
            },
          ]);
          expect([report.missing, report.unexpected]).toEqual([[], []]);
        });
      });
    });

    check('strict-dtype', 'strict write rejects a dtype mismatch and changes nothing', async () => {
      await withModels(1, async (fixture, [model]) => {
        const changed = perturb(await fixture.adapter.read(model!));
        const [first, tensor] = [...changed.tensors][0]!;
        const dtype = capabilities.mismatchDtype ?? (tensor.dtype === 'F32' ? 'I32' : 'F32');
        changed.tensors.set(first, { ...tensor, dtype });
        await expectRejected(fixture, model!, changed, (report) => {
          expect(report.mismatched.map((entry) => [entry.name, entry.actual.dtype])).toEqual([
            [first, dtype],
          ]);
          expect(report.mismatched[0]?.expected.dtype).toBe(tensor.dtype);
          expect([report.missing, report.unexpected]).toEqual([[], []]);
        });
      });
    });

    check(
      'non-strict-report',
      'non-strict write loads what fits (bitwise) and reports the rest',
      async () => {
        await withModels(1, async ({ adapter }, [model]) => {
          const names = [...(await adapter.read(model!)).tensors.keys()];
          expect(names.length, 'the model needs at least two tensors').toBeGreaterThanOrEqual(2);
          // A float tensor is loaded by both writes below (perturb changes only float values), so
          // each write loads something that can be seen, also in a model of two tensors.
          const witness = firstFloatTensor(await adapter.read(model!));
          const others = names.filter((name) => name !== witness);
          const missingName = others[0]!;
          const mismatchName = others.at(-1)!;

          // Write 1: one tensor missing, one unexpected, the rest loaded.
          const before = await adapter.read(model!);
          const changed = perturb(before);
          changed.tensors.delete(missingName);
          const extra = 'reprokit_conformance_extra/bias';
          changed.tensors.set(extra, { dtype: 'F32', shape: [1], data: new Uint8Array(4) });
          const report = await adapter.write(model!, changed, { strict: false });
          expect(report.missing.map((entry) => entry.name)).toEqual([missingName]);
          expect(report.unexpected.map((entry) => entry.name)).toEqual([extra]);
          expect(report.mismatched).toEqual([]);
          expect(report.loaded).toEqual(names.filter((name) => name !== missingName));
          expectWritten(await adapter.read(model!), before, changed, report.loaded, witness);

          // Write 2: one tensor with a mismatched shape, the rest loaded.
          const before2 = await adapter.read(model!);
          const changed2 = perturb(before2);
          const mismatched = changed2.tensors.get(mismatchName)!;
          changed2.tensors.set(mismatchName, { ...mismatched, shape: [...mismatched.shape, 1] });
          const report2 = await adapter.write(model!, changed2, { strict: false });
          expect(report2.mismatched.map((entry) => entry.name)).toEqual([mismatchName]);
          expect([report2.missing, report2.unexpected]).toEqual([[], []]);
          expect(report2.loaded).toEqual(names.filter((name) => name !== mismatchName));
          expectWritten(await adapter.read(model!), before2, changed2, report2.loaded, witness);
        });
      },
    );

    check(
      'fingerprint-stable',
      'two fresh instances have the same names, dtypes and shapes, and the same fingerprint once given the same weights',
      async () => {
        await withModels(2, async ({ adapter }, [first, second]) => {
          const a = await adapter.read(first!);
          const b = await adapter.read(second!);
          const structure = (checkpoint: Checkpoint) =>
            [...checkpoint.tensors].map(([name, t]) => [name, t.dtype, [...t.shape]]);
          expect(structure(b)).toEqual(structure(a));
          // Reading does not change what is read.
          expect(fingerprint(await adapter.read(first!))).toBe(fingerprint(a));
          const changed = perturb(a);
          await adapter.write(first!, changed);
          await adapter.write(second!, changed);
          const fingerprintFirst = fingerprint(await adapter.read(first!));
          expect(fingerprint(await adapter.read(second!))).toBe(fingerprintFirst);
          expect(fingerprintFirst).toBe(fingerprint(changed));
        });
      },
    );

    check(
      'predict-after-write',
      'a write changes the predictions, to those of another model given the same weights, bitwise',
      async () => {
        await withModels(2, async (fixture, [source, target]) => {
          const predict = fixture.predict;
          if (predict === undefined) {
            throw new Error(
              'capability flag missing: the fixture has no predict(); skip this check with a reason',
            );
          }
          const { adapter } = fixture;
          const targetBefore = await predict(target!);
          expect(targetBefore.length).toBeGreaterThan(0);
          expect(
            await predict(source!),
            'createModel() must give models with different weights (their predictions are equal)',
          ).not.toEqual(targetBefore);

          // The source's weights, changed, go into both models: the target must now compute
          // what the source computes, which is not what it computed before.
          const checkpoint = perturb(await adapter.read(source!));
          await adapter.write(source!, checkpoint);
          await adapter.write(target!, checkpoint);
          const expected = await predict(source!);
          const actual = await predict(target!);
          expect(actual, 'the write did not change what the runtime computes').not.toEqual(
            targetBefore,
          );
          expect(actual).toEqual(expected);

          // Predictions follow the last write, whatever was written before.
          await adapter.write(target!, perturb(checkpoint));
          expect(await predict(target!)).not.toEqual(expected);
          await adapter.write(target!, checkpoint);
          expect(await predict(target!)).toEqual(expected);
        });
      },
    );
  });
}

/** The first F32 or F64 tensor (the fixture must have one): perturb changes its bytes. */
function firstFloatTensor(checkpoint: Checkpoint): string {
  for (const [name, tensor] of checkpoint.tensors) {
    if (tensor.dtype === 'F32' || tensor.dtype === 'F64') return name;
  }
  throw new Error('the model needs at least one F32 or F64 tensor');
}

/**
 * After a non-strict write: the `loaded` tensors hold the written bytes, every other tensor its
 * old bytes, and `witness` (loaded) really changed, so the comparison is not vacuous.
 */
function expectWritten(
  after: Checkpoint,
  before: Checkpoint,
  written: Checkpoint,
  loaded: readonly string[],
  witness: string,
): void {
  expect(loaded).toContain(witness);
  expect(bytesEqual(written.tensors.get(witness)!.data, before.tensors.get(witness)!.data)).toBe(
    false,
  );
  for (const [name, tensor] of after.tensors) {
    const expected = loaded.includes(name) ? written : before;
    expect(bytesEqual(tensor.data, expected.tensors.get(name)!.data), `bytes of "${name}"`).toBe(
      true,
    );
  }
}

/**
 * A copy of `checkpoint` whose float tensors hold different, deterministic values
 * (`0.5 * x + 0.25 + i * 1e-3`), so a write that silently did nothing is caught.
 */
function perturb(checkpoint: Checkpoint): Checkpoint {
  const tensors: Array<[string, CheckpointTensor]> = [];
  for (const [name, tensor] of checkpoint.tensors) {
    const data = new Uint8Array(tensor.data);
    if (tensor.dtype === 'F32') {
      const values = new Float32Array(data.buffer, 0, data.byteLength / 4);
      for (let index = 0; index < values.length; index++) {
        values[index] = 0.5 * values[index]! + 0.25 + index * 1e-3;
      }
    } else if (tensor.dtype === 'F64') {
      const values = new Float64Array(data.buffer, 0, data.byteLength / 8);
      for (let index = 0; index < values.length; index++) {
        values[index] = 0.5 * values[index]! + 0.25 + index * 1e-3;
      }
    }
    tensors.push([name, { dtype: tensor.dtype, shape: [...tensor.shape], data }]);
  }
  return createCheckpoint(tensors, checkpoint.metadata);
}

function expectSameTensors(actual: Checkpoint, expected: Checkpoint): void {
  expect([...actual.tensors.keys()]).toEqual([...expected.tensors.keys()]);
  for (const [name, tensor] of expected.tensors) {
    const other = actual.tensors.get(name)!;
    expect([name, other.dtype, [...other.shape]]).toEqual([name, tensor.dtype, [...tensor.shape]]);
    expect(bytesEqual(other.data, tensor.data), `bytes of "${name}"`).toBe(true);
  }
}
