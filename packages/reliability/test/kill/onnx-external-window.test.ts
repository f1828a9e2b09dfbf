import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeCheckpointPair } from '../../src/fixtures/large-checkpoint.js';
import { type CheckpointState, classifyCheckpoint } from '../../src/kill/checkpoint-state.js';
import { saveFormatDriver } from '../../src/kill/save-formats.js';
import { startSaveWorker } from '../../src/kill/save-worker-process.js';

// The second checkpoint's header is longer, so every data offset moves between the two saves.
const spec = { tensorCount: 4, tensorBytes: 1 << 20, longerSecondMetadata: true };

/**
 * saveOnnxModel writes model.safetensors (external data) and then model.onnx, each atomically.
 * These kills land between the two renames: the parent spins on stat() until the external data
 * file is replaced, then sends SIGKILL (it lands before model.onnx is replaced in about 5 of 6
 * attempts here), and records what the reader finds.
 */
describe('SIGKILL between the external data file and model.onnx', () => {
  let dir = '';
  const outcomes: Array<{ inWindow: boolean; state: CheckpointState }> = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reprokit-onnx-window-'));
    const driver = await saveFormatDriver('onnx-external');
    const [first, second] = largeCheckpointPair(spec);
    const initial = await startSaveWorker('onnx-external', dir, spec);
    initial.go(1);
    await initial.exited;
    const external = join(dir, 'model.safetensors');
    const model = join(dir, 'model.onnx');
    for (let attempt = 0; attempt < 4; attempt++) {
      // Every attempt saves the second checkpoint over the first.
      await driver.save(first, dir);
      const worker = await startSaveWorker('onnx-external', dir, spec);
      const externalInode = statSync(external).ino;
      const modelInode = statSync(model).ino;
      worker.go(2);
      const deadline = performance.now() + 30_000;
      while (statSync(external).ino === externalInode && performance.now() < deadline) {
        // spin: the window between the two renames is a few milliseconds
      }
      await worker.kill();
      const inWindow = statSync(model).ino === modelInode;
      let state: CheckpointState;
      try {
        state = classifyCheckpoint(await driver.read(dir), first, second);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'UNTYPED';
        state = { kind: 'unreadable', code, message: String(error) };
      }
      outcomes.push({ inWindow, state });
    }
    console.log(
      `onnx-external window kills: ${outcomes.map((o) => `${o.inWindow ? 'in window' : 'missed'} -> ${o.state.kind}`).join(', ')}`,
    );
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('at least one kill landed between the two renames', () => {
    expect(outcomes.some((outcome) => outcome.inWindow)).toBe(true);
  });

  // Fixed in @reprokit/onnxruntime: saveOnnxModel keeps the replaced data file as
  // model.safetensors.reprokit-old until model.onnx is in place, and the reader checks the
  // model's offsets against the safetensors header and falls back to the kept original
  // (3 of 4 aimed kills read wrong weights before).
  it('the reader then finds the complete old or new checkpoint', () => {
    const torn = outcomes.filter((o) => o.state.kind !== 'old' && o.state.kind !== 'new');
    expect(torn).toEqual([]);
  });
});
