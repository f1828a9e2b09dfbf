/** One read waiting to be sent: the bytes `[start, end)` it still needs. */
export interface RangeToCoalesce {
  readonly start: number;
  readonly end: number;
  /** Arrival order; the group holding the earliest read is sent first. */
  readonly order: number;
}

/** Several reads served by one request for `[start, end)`. */
export interface CoalescedRange<T extends RangeToCoalesce> {
  readonly start: number;
  readonly end: number;
  /** Members sorted by `start`. */
  readonly members: T[];
  /** The smallest `order` among the members. */
  readonly order: number;
}

export interface CoalesceRule {
  /** Largest gap between two reads, in bytes, that one request still spans (bytes read and dropped). */
  readonly gapBytes: number;
  /** A merged request stays at most this long; a single longer read is never split. */
  readonly maxBytes: number;
}

/**
 * Groups reads into as few requests as the rule allows: sorted by offset, a read joins the
 * current group when it starts at most `gapBytes` after the group's end (overlapping and
 * adjacent reads included) and the group would stay within `maxBytes`. Groups come back in
 * arrival order of their earliest read, so merging never starves the read issued first.
 *
 * @example
 * coalesceRanges([{ start: 0, end: 8, order: 0 }, { start: 8, end: 100, order: 1 }],
 *   { gapBytes: 32768, maxBytes: 16 << 20 }); // one group [0, 100)
 */
export function coalesceRanges<T extends RangeToCoalesce>(
  ranges: readonly T[],
  rule: CoalesceRule,
): CoalescedRange<T>[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const groups: CoalescedRange<T>[] = [];
  let members: T[] = [];
  let start = 0;
  let end = 0;
  let order = 0;
  const flush = () => {
    if (members.length > 0) groups.push({ start, end, members, order });
  };
  for (const range of sorted) {
    const fits =
      members.length > 0 &&
      range.start <= end + rule.gapBytes &&
      Math.max(end, range.end) - start <= rule.maxBytes;
    if (fits) {
      members.push(range);
      end = Math.max(end, range.end);
      order = Math.min(order, range.order);
    } else {
      flush();
      members = [range];
      start = range.start;
      end = range.end;
      order = range.order;
    }
  }
  flush();
  return groups.sort((a, b) => a.order - b.order);
}
