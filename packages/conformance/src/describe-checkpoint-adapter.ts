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

/** What a runtime's test file provides to `describeCheckpointAdapter`. */
export interface CheckpointAdapterFixture<M> {
  readonly adapter: CheckpointAdapter<M>;
  /**
   * A fresh model. Every call gives the same structure (weights may differ). The model needs
   * at least two tensors and at least one F32 tensor.
   */
  createModel(): Promise<M>;
  /** Outputs of `model` on a fixed input, to prove written weights are the ones used. */
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
 * the model unchanged; a non-strict write loads what fits and reports the rest; two fresh
 * instances read back identical names and fingerprints; predictions follow the written weights.
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
      'non-strict write loads what fits and reports the rest',
      async () => {
        await withModels(1, async ({ adapter }, [model]) => {
          const before = await adapter.read(model!);
          const changed = perturb(before);
          const names = [...changed.tensors.keys()];
          expect(names.length).toBeGreaterThanOrEqual(2);
          const [missingName, shapeName] = names as [string, string];
          changed.tensors.delete(missingName);
          const shapeTensor = changed.tensors.get(shapeName)!;
          changed.tensors.set(shapeName, { ...shapeTensor, shape: [...shapeTensor.shape, 1] });
          const extra = 'reprokit_conformance_extra/bias';
          changed.tensors.set(extra, { dtype: 'F32', shape: [1], data: new Uint8Array(4) });
          const report = await adapter.write(model!, changed, { strict: false });
          expect(report.missing.map((entry) => entry.name)).toEqual([missingName]);
          expect(report.unexpected.map((entry) => entry.name)).toEqual([extra]);
          expect(report.mismatched.map((entry) => entry.name)).toEqual([shapeName]);
          expect(report.loaded).toEqual(names.slice(2));
          const after = await adapter.read(model!);
          for (const loaded of report.loaded) {
            expect(
              bytesEqual(after.tensors.get(loaded)!.data, changed.tensors.get(loaded)!.data),
            ).toBe(true);
          }
          for (const kept of [missingName, shapeName]) {
            expect(bytesEqual(after.tensors.get(kept)!.data, before.tensors.get(kept)!.data)).toBe(
              true,
            );
          }
        });
      },
    );

    check(
      'fingerprint-stable',
      'two fresh instances read back the same names and fingerprint',
      async () => {
        await withModels(2, async ({ adapter }, [first, second]) => {
          const a = await adapter.read(first!);
          const b = await adapter.read(second!);
          expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()]);
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
      'a model given another model’s checkpoint predicts the same, bitwise',
      async () => {
        await withModels(2, async (fixture, [source, target]) => {
          if (fixture.predict === undefined) {
            throw new Error(
              'capability flag missing: the fixture has no predict(); skip this check with a reason',
            );
          }
          const checkpoint = perturb(await fixture.adapter.read(source!));
          await fixture.adapter.write(source!, checkpoint);
          await fixture.adapter.write(target!, checkpoint);
          const expected = await fixture.predict(source!);
          const actual = await fixture.predict(target!);
          expect(actual.length).toBeGreaterThan(0);
          expect(actual).toEqual(expected);
        });
      },
    );
  });
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

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
