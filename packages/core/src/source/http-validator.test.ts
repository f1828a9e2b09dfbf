import { describe, expect, it } from 'vitest';
import { ifRangeValue, readValidator, validatorChange } from './http-validator.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('HTTP validators', () => {
  it('uses a strong ETag for If-Range, else the Last-Modified date, never a weak ETag', () => {
    const date = 'Thu, 03 Dec 2026 22:03:20 GMT';
    expect(ifRangeValue(readValidator(headers({ etag: '"a"', 'last-modified': date })))).toBe(
      '"a"',
    );
    expect(ifRangeValue(readValidator(headers({ etag: 'W/"a"', 'last-modified': date })))).toBe(
      date,
    );
    expect(ifRangeValue(readValidator(headers({ etag: 'W/"a"' })))).toBeUndefined();
    expect(ifRangeValue(readValidator(headers({})))).toBeUndefined();
  });

  it('sees a changed ETag or date, not a missing one or a weakened one', () => {
    const opened = readValidator(headers({ etag: '"a"', 'last-modified': 'Mon' }));
    expect(validatorChange(opened, readValidator(headers({ etag: '"b"' })))).toContain('"b"');
    expect(validatorChange(opened, readValidator(headers({ 'last-modified': 'Tue' })))).toContain(
      'Last-Modified',
    );
    expect(validatorChange(opened, readValidator(headers({ etag: 'W/"a"' })))).toBeUndefined();
    expect(validatorChange(opened, readValidator(headers({})))).toBeUndefined();
  });
});
