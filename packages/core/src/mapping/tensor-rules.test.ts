import { describe, expect, it } from 'vitest';
import { createCheckpoint } from '../checkpoint/checkpoint.js';
import { composeMappings } from './compose-mappings.js';
import { f32, valuesOf } from './mapping-test-helpers.test-helper.js';
import { renameRules } from './rename-rules.js';
import { tensorRules } from './tensor-rules.js';
import { tensorTransforms } from './tensor-transforms.js';

const source = createCheckpoint(
  [
    ['fc.weight', f32([3, 2], [1, 2, 3, 4, 5, 6])],
    ['fc.bias', f32([3], [7, 8, 9])],
    ['lstm.B', f32([1, 8], [1, 2, 3, 4, 10, 20, 30, 40])],
  ],
  [['format', 'pt']],
);

describe('tensorRules', () => {
  it('builds each target through named transforms and reports every step', () => {
    const mapping = tensorRules('linear', [
      { from: 'fc.weight', to: 'dense/kernel', transforms: [tensorTransforms.transpose([1, 0])] },
      { from: 'fc.bias', to: 'dense/bias' },
      {
        from: 'lstm.B',
        to: 'lstm/bias',
        transforms: [
          tensorTransforms.select(0, 0, 'forward'),
          tensorTransforms.splitAndSum(0, 2),
          tensorTransforms.reorderGates(0, 'iofc', 'ifco'),
        ],
        notes: ['check something'],
      },
    ]);
    const target = new Map([
      ['dense/kernel', { dtype: 'F32' as const, shape: [2, 3] }],
      ['dense/bias', { dtype: 'F32' as const, shape: [3] }],
    ]);
    const result = mapping.map(source, target);
    expect([...result.checkpoint.tensors.keys()]).toEqual([
      'dense/kernel',
      'dense/bias',
      'lstm/bias',
    ]);
    expect(valuesOf(result.checkpoint.tensors.get('dense/kernel')!)).toEqual([1, 3, 5, 2, 4, 6]);
    // (1+10, 2+20, 3+30, 4+40) in i,o,f,c -> i,f,c,o
    expect(valuesOf(result.checkpoint.tensors.get('lstm/bias')!)).toEqual([11, 33, 44, 22]);
    expect(result.checkpoint.metadata.get('format')).toBe('pt');
    expect(result.steps).toEqual([
      { from: ['fc.weight'], to: 'dense/kernel', transform: 'transpose [1,0]' },
      { from: ['fc.bias'], to: 'dense/bias', transform: 'rename' },
      { from: ['lstm.B'], to: 'lstm/bias', transform: 'check something' },
      {
        from: ['lstm.B'],
        to: 'lstm/bias',
        transform:
          'select index 0 of axis 0 (forward), then split axis 0 into 2 and sum, then reorder gates iofc->ifco on axis 0',
      },
    ]);
  });

  it('names the rule when the result does not fit the model', () => {
    const mapping = tensorRules('linear', [{ from: 'fc.weight', to: 'dense/kernel' }]);
    expect(() =>
      mapping.map(source, new Map([['dense/kernel', { dtype: 'F32', shape: [2, 3] }]])),
    ).toThrow(/"fc.weight" is F32 \[3,2\], but the model wants F32 \[2,3\]/);
  });

  it('names a missing source with close names', () => {
    const mapping = tensorRules('linear', [{ from: 'fc.weights', to: 'k' }]);
    expect(() => mapping.map(source, new Map())).toThrow(
      expect.objectContaining({ code: 'MAPPING_SOURCE_MISSING', tensor: 'fc.weights' }),
    );
    expect(() => mapping.map(source, new Map())).toThrow(/did you mean "fc.weight"/);
  });

  it('refuses two rules writing one name and keeps unmapped tensors on request', () => {
    const twice = tensorRules('x', [
      { from: 'fc.bias', to: 'b' },
      { from: 'fc.bias', to: 'b' },
    ]);
    expect(() => twice.map(source, new Map())).toThrow(
      expect.objectContaining({ code: 'MAPPING_NAME_COLLISION' }),
    );
    const keep = tensorRules('x', [{ from: 'fc.bias', to: 'b' }], { keepUnmapped: true });
    expect([...keep.map(source, new Map()).checkpoint.tensors.keys()]).toEqual([
      'b',
      'fc.weight',
      'lstm.B',
    ]);
  });
});

describe('renameRules and composeMappings', () => {
  it('renames by the first matching rule and reports each rename', () => {
    const mapping = renameRules([
      ['fc.bias', 'head/bias'],
      [/^fc\.(\w+)$/g, 'head/$1'],
    ]);
    const result = mapping.map(source, new Map());
    expect([...result.checkpoint.tensors.keys()]).toEqual(['head/weight', 'head/bias', 'lstm.B']);
    expect(result.steps.map((step) => `${step.from[0]}->${step.to}`)).toEqual([
      'fc.weight->head/weight',
      'fc.bias->head/bias',
    ]);
    const dropped = renameRules([[/^fc\./, '']], { dropUnmatched: true }).map(source, new Map());
    expect([...dropped.checkpoint.tensors.keys()]).toEqual(['weight', 'bias']);
  });

  it('refuses two names renamed onto one', () => {
    expect(() => renameRules([[/^fc\.\w+$/, 'same']]).map(source, new Map())).toThrow(
      expect.objectContaining({ code: 'MAPPING_NAME_COLLISION', tensor: 'same' }),
    );
  });

  it('composes mappings in order, with all their steps', () => {
    const mapping = composeMappings(
      renameRules([[/^fc\./, 'linear.']]),
      tensorRules('linear', [
        { from: 'linear.weight', to: 'k', transforms: [tensorTransforms.transpose([1, 0])] },
      ]),
    );
    expect(mapping.name).toBe('rename + linear');
    const result = mapping.map(source, new Map());
    expect(valuesOf(result.checkpoint.tensors.get('k')!)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(result.steps.map((step) => step.transform)).toEqual([
      'rename',
      'rename',
      'transpose [1,0]',
    ]);
  });
});
