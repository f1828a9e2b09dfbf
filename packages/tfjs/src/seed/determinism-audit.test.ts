import { describe, expect, it } from 'vitest';
import { DeterminismAudit, type DeterminismFinding } from './determinism-audit.js';

function collecting(mode: 'warn' | 'error' | 'off') {
  const seen: DeterminismFinding[] = [];
  return { audit: new DeterminismAudit(mode, (finding) => seen.push(finding)), seen };
}

describe('DeterminismAudit', () => {
  it('flags GPU backends and accepts cpu and wasm', () => {
    const { audit, seen } = collecting('warn');
    audit.checkBackend('cpu');
    audit.checkBackend('wasm');
    audit.checkBackend(undefined);
    audit.checkBackend('webgl');
    audit.checkBackend('webgl');
    audit.checkBackend('webgpu');
    expect(seen.map((finding) => finding.subject)).toEqual(['webgl', 'webgpu']);
    expect(seen[0]!.message).toMatch(/Train on "cpu"/);
  });

  it('counts explicit initializer seeds until reseeded, and reports each seed once', () => {
    const { audit, seen } = collecting('warn');
    audit.checkInitializerSeed(undefined, 'GlorotUniform');
    audit.checkInitializerSeed(5, 'GlorotUniform');
    audit.checkInitializerSeed(6, 'GlorotUniform');
    expect(seen).toEqual([]);
    audit.checkInitializerSeed(5, 'HeNormal');
    audit.checkInitializerSeed(5, 'HeNormal');
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'explicit-seed-reused', subject: 'seed 5' }),
    ]);
    audit.resetCounters();
    audit.checkInitializerSeed(6, 'GlorotUniform');
    expect(seen).toHaveLength(1);
  });

  it('throws in error mode and keeps the finding; does nothing when off', () => {
    const strict = collecting('error');
    expect(() => strict.audit.checkDropoutSeed(1, 'dropout_1', true)).toThrow(
      expect.objectContaining({ code: 'TFJS_SEED_NONDETERMINISTIC' }),
    );
    expect(strict.audit.findings).toHaveLength(1);
    expect(strict.seen).toEqual([]);

    const off = collecting('off');
    off.audit.checkDropoutSeed(1, 'dropout_1', true);
    off.audit.checkBackend('webgl');
    expect(off.audit.findings).toEqual([]);
    expect(off.seen).toEqual([]);
  });
});
