import { describe, expect, it } from 'vitest';
import { parseContentRange } from './content-range.js';

describe('parseContentRange', () => {
  it('reads ranges, unknown totals and the unsatisfiable form', () => {
    expect(parseContentRange('bytes 0-65535/10737418240')).toEqual({
      first: 0,
      last: 65535,
      total: 10737418240,
    });
    expect(parseContentRange('Bytes 5-9/*')).toEqual({ first: 5, last: 9, total: undefined });
    expect(parseContentRange('bytes */0')).toEqual({ first: undefined, last: undefined, total: 0 });
  });

  it('refuses malformed, inverted, out-of-file and inexact values', () => {
    for (const value of [
      null,
      '',
      'bytes 0-9',
      'bytes 9-0/10',
      'bytes 0-10/10',
      'bytes */*',
      'items 0-1/2',
      'bytes 0-1/99999999999999999999',
      'bytes -1-2/3',
    ]) {
      expect(parseContentRange(value), String(value)).toBeUndefined();
    }
  });
});
