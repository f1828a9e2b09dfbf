import { describe, expect, it } from 'vitest';
import { coalesceRanges } from './coalesce-ranges.js';

const rule = { gapBytes: 10, maxBytes: 100 };
const spans = (groups: ReturnType<typeof coalesceRanges>) =>
  groups.map((group) => [group.start, group.end, group.members.length]);

describe('coalesceRanges', () => {
  it('merges adjacent, overlapping and nearby ranges, and not those further apart', () => {
    const groups = coalesceRanges(
      [
        { start: 0, end: 8, order: 0 },
        { start: 8, end: 20, order: 1 }, // adjacent
        { start: 15, end: 18, order: 2 }, // inside
        { start: 30, end: 40, order: 3 }, // gap of 10: merged
        { start: 51, end: 60, order: 4 }, // gap of 11: not merged
      ],
      rule,
    );
    expect(spans(groups)).toEqual([
      [0, 40, 4],
      [51, 60, 1],
    ]);
    expect(groups[0]!.members.map((member) => member.start)).toEqual([0, 8, 15, 30]);
  });

  it('keeps merged requests within maxBytes but never splits one longer read', () => {
    const groups = coalesceRanges(
      [
        { start: 0, end: 60, order: 0 },
        { start: 60, end: 100, order: 1 },
        { start: 100, end: 101, order: 2 }, // would make 101 bytes
        { start: 200, end: 500, order: 3 }, // alone and longer than maxBytes
      ],
      rule,
    );
    expect(spans(groups)).toEqual([
      [0, 100, 2],
      [100, 101, 1],
      [200, 500, 1],
    ]);
  });

  it('orders groups by their earliest read, whatever their offsets', () => {
    const groups = coalesceRanges(
      [
        { start: 1000, end: 1010, order: 0 },
        { start: 0, end: 10, order: 1 },
        { start: 500, end: 510, order: 2 },
        { start: 1010, end: 1020, order: 3 },
      ],
      rule,
    );
    expect(groups.map((group) => [group.start, group.order])).toEqual([
      [1000, 0],
      [0, 1],
      [500, 2],
    ]);
  });
});
