import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deriveSeed, type JsonValue, ReprokitError, seedEverything } from '@reprokit/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { applySeeds, createSession, onnxSeedControl } from '../src/index.js';
import { attr, graph, ifModel, model, node, randomModel, valueInfo } from './onnx-model-builder.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./random-session-child.ts', import.meta.url));

async function outputsInChild(mode: string): Promise<Array<Record<string, number[]>>> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@reprokit/source', '--import', 'tsx', child, mode],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    },
  );
  return JSON.parse(stdout) as Array<Record<string, number[]>>;
}

function seedOf(onnx: ReturnType<typeof randomModel>, label: string) {
  const nodes = onnx.proto.graph!.node;
  const target = nodes.find((n, index) => (n.name || `#${index}`) === label)!;
  const seed = target.attribute.find((a) => a.name === 'seed');
  return seed === undefined ? undefined : seed.type === 1 ? seed.f : Number(seed.i);
}

describe('applySeeds', () => {
  it('stamps every random node without a seed, derived from the seed and the node label', () => {
    const original = randomModel();
    const { model: seeded, seeded: stamped } = applySeeds(original, 42);
    expect([...stamped.keys()]).toEqual(['uniform', 'normal', '#2', '#3', 'dropout']);
    expect(seedOf(seeded, 'uniform')).toBe(Math.fround(deriveSeed(42, 'uniform')));
    expect(seedOf(seeded, '#3')).toBe(Math.fround(deriveSeed(42, '#3')));
    // Dropout's seed is an int attribute and keeps all 32 bits.
    expect(seedOf(seeded, 'dropout')).toBe(deriveSeed(42, 'dropout'));
    // A seed the model already has is kept; the input model is not changed.
    expect(seedOf(seeded, 'fixed')).toBe(7);
    expect(seedOf(original, 'uniform')).toBeUndefined();
  });

  it('reaches random nodes inside subgraphs, labelled by their path', () => {
    const body = graph({
      node: [node('RandomUniform', [], ['r'], [attr.ints('shape', [2])])],
      output: [valueInfo('r', [2])],
    });
    const onnx = model(
      graph({
        node: [
          node(
            'If',
            ['c'],
            ['y'],
            [attr.graph('then_branch', body), attr.graph('else_branch', body)],
            'branch',
          ),
        ],
        output: [valueInfo('y', [2])],
      }),
    );
    const { seeded } = applySeeds(onnx, 'run-1');
    expect([...seeded]).toEqual([
      ['branch.then_branch::#0', Math.fround(deriveSeed('run-1', 'branch.then_branch::#0'))],
      ['branch.else_branch::#0', Math.fround(deriveSeed('run-1', 'branch.else_branch::#0'))],
    ]);
    expect(applySeeds(ifModel(), 1).seeded.size).toBe(0);
  });

  it('rejects seeds that are not uint32 or strings', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      let caught: unknown;
      try {
        applySeeds(randomModel(), bad);
      } catch (error) {
        caught = error;
      }
      expect((caught as ReprokitError).code).toBe('ONNX_SEED_INVALID');
    }
  });
});

describe('seeded sessions', () => {
  const feeds = { x: new ort.Tensor('float32', new Float32Array(8).fill(1), [8]) };
  const draw = async (seed?: number) => {
    const session = await createSession(ort, randomModel(), seed === undefined ? {} : { seed });
    const first = (await session.run(feeds)).u!.data as Float32Array;
    const second = (await session.run(feeds)).u!.data as Float32Array;
    await session.release();
    return [[...first], [...second]];
  };

  it('the same seed gives the same stream; it advances per run() and restarts with a new session', async () => {
    const a = await draw(42);
    const b = await draw(42);
    expect(b).toEqual(a);
    expect(a[1]).not.toEqual(a[0]);
    expect(await draw(43)).not.toEqual(a);
  });

  it('two processes with the same seed give identical outputs; unseeded ones differ', async () => {
    const [seeded1, seeded2, control1, control2, free1, free2] = await Promise.all([
      outputsInChild('seed:42'),
      outputsInChild('seed:42'),
      outputsInChild('control:42'),
      outputsInChild('control:42'),
      outputsInChild('none'),
      outputsInChild('none'),
    ]);
    expect(Object.keys(seeded1[0]!).sort()).toEqual(['b', 'd', 'fixed', 'n', 'u', 'ul']);
    expect(seeded2).toEqual(seeded1);
    expect(control2).toEqual(control1);
    expect(control1).not.toEqual(seeded1);
    for (const name of ['u', 'n', 'ul']) {
      expect(free2[0]![name], name).not.toEqual(free1[0]![name]);
    }
    // The node that carried its own seed is the same everywhere.
    expect(free2[0]!.fixed).toEqual(free1[0]!.fixed);
    expect(free1[0]!.fixed).toEqual(seeded1[0]!.fixed);
  }, 300_000); // six child processes: sized for a machine 5x slower than the one measured (25 s), busy
});

describe('onnxSeedControl', () => {
  it('seeds createSession through seedEverything, one derived seed per session, and stops on release', async () => {
    const control = onnxSeedControl();
    const scope = seedEverything(42, { controls: [control] });
    const root = deriveSeed(42, 'onnxruntime');
    expect(control.snapshot()).toEqual({ seed: root, sessions: 0 });
    expect(control.nextSessionSeed()).toBe(deriveSeed(root, '0'));
    expect(control.nextSessionSeed()).toBe(deriveSeed(root, '1'));
    expect(control.snapshot()).toEqual({ seed: root, sessions: 2 });
    control.restore({ seed: root, sessions: 1 });
    expect(control.nextSessionSeed()).toBe(deriveSeed(root, '1'));
    scope.release();
    expect(control.nextSessionSeed()).toBeUndefined();
  });

  it('each session through createSession takes the next seed of the control it is given', async () => {
    const feeds = { x: new ort.Tensor('float32', new Float32Array(8).fill(1), [8]) };
    const outputOf = async (seed: Parameters<typeof createSession>[2]) => {
      const session = await createSession(ort, randomModel(), seed);
      const out = [...((await session.run(feeds)).u!.data as Float32Array)];
      await session.release();
      return out;
    };
    const control = onnxSeedControl();
    control.seed(7);
    const root = 7;
    const first = await outputOf({ seed: control });
    const second = await outputOf({ seed: control });
    expect(control.snapshot()).toEqual({ seed: root, sessions: 2 });
    expect(first).toEqual(await outputOf({ seed: deriveSeed(root, '0') }));
    expect(second).toEqual(await outputOf({ seed: deriveSeed(root, '1') }));
    expect(second).not.toEqual(first);
  });

  it('two controls keep their own state: interleaved sessions get what each would get alone', () => {
    // The state lives in each control, not in the module: two copies of the package (or two
    // libraries in one process) cannot take each other's seeds.
    const a = onnxSeedControl();
    const b = onnxSeedControl();
    a.seed(1);
    b.seed(2);
    const interleaved = [a.nextSessionSeed(), b.nextSessionSeed(), a.nextSessionSeed()];
    b.release();
    expect(interleaved).toEqual([deriveSeed(1, '0'), deriveSeed(2, '0'), deriveSeed(1, '1')]);
    expect(a.nextSessionSeed()).toBe(deriveSeed(1, '2'));
    expect(b.nextSessionSeed()).toBeUndefined();
  });

  it('refuses bad seeds and corrupt states with typed errors', () => {
    const control = onnxSeedControl();
    for (const state of [
      null,
      'x',
      { seed: 0, sessions: 0 },
      { seed: 1, sessions: -1 },
      {},
    ] as JsonValue[]) {
      let caught: unknown;
      try {
        control.restore(state);
      } catch (error) {
        caught = error;
      }
      expect(ReprokitError.isInstance(caught) && caught.code).toBe('ONNX_SEED_STATE_INVALID');
    }
    expect(() => control.seed(0)).toThrow(/uint32 other than 0/);
    control.release();
  });
});
