import { renderTable } from '@reprokit/core/internal';
import { describe, expect, it } from 'vitest';
import { formatCheckLine } from './check.js';
import { milliseconds, percent, scientific, shortHash } from './format-numbers.js';
import { inferenceTable } from './inference-table.js';

describe('report formatting', () => {
  it('prints a check mark or a cross with the step and numbers', () => {
    const check = { step: 2, name: 'tfjs -> ONNX', summary: 'max 1e-7', details: {} };
    expect(formatCheckLine({ ...check, passed: true })).toBe('✔ 2 tfjs -> ONNX: max 1e-7');
    expect(formatCheckLine({ ...check, passed: false })).toBe('✘ 2 tfjs -> ONNX: max 1e-7');
  });

  it('renders numbers compactly', () => {
    expect(percent(0.9123)).toBe('91.2%');
    expect(shortHash('0123456789abcdef')).toBe('0123456789ab');
    expect(milliseconds(0.5438)).toBe('0.544 ms');
    expect(milliseconds(377.2)).toBe('377 ms');
    expect(milliseconds(80_400)).toBe('80.4 s');
    expect(scientific(9.5367e-7)).toBe('9.5e-7');
    expect(scientific(0)).toBe('0');
  });

  it('aligns columns, numbers to the right, with a rule under the header', () => {
    expect(
      renderTable(
        [
          ['name', 'ms'],
          ['onnxruntime-node', '1.5'],
          ['cpu', '377'],
        ],
        { alignRight: [1] },
      ),
    ).toBe(
      'name               ms\n----------------  ---\nonnxruntime-node  1.5\ncpu               377\n',
    );
  });

  it('lays out the inference table with the speed-up and the baseline row', () => {
    const table = inferenceTable([
      {
        model: 'mlp',
        runtime: 'tfjs cpu',
        accuracy: 0.9,
        medianMs: 40,
        batch: 1000,
        speedUp: 1,
        maxAbsDiff: 0,
      },
      {
        model: 'mlp',
        runtime: 'onnxruntime-node',
        accuracy: 0.9,
        medianMs: 2,
        batch: 1000,
        speedUp: 20,
        maxAbsDiff: 9.5e-7,
      },
    ]);
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^model\s+runtime\s+accuracy\s+inference \(batch\)\s+speed-up\s+max \|Δ logit\|$/,
    );
    expect(lines[2]).toMatch(/tfjs cpu\s+90\.0%\s+40\.0 ms \(1000\)\s+1\.0x\s+baseline$/);
    expect(lines[3]).toMatch(/onnxruntime-node\s+90\.0%\s+2\.00 ms \(1000\)\s+20\.0x\s+9\.5e-7$/);
  });
});
