import { ReprokitError } from '@reprokit/core';
import { renderTable } from '@reprokit/core/internal';
import { describe, expect, it } from 'vitest';
import { formatByteSize } from './format-byte-size.js';
import { parseByteSize } from './parse-byte-size.js';

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1048576],
    ['500MB', 500_000_000],
    ['2GB', 2_000_000_000],
    ['1GiB', 1024 ** 3],
    ['1.5 KiB', 1536],
    ['16b', 16],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseByteSize(text, '--max-shard-size')).toBe(bytes);
  });

  it.each(['', 'lots', '5XB', '0', '-1MB'])('refuses %j with the option name', (text) => {
    let caught: unknown;
    try {
      parseByteSize(text, '--max-shard-size');
    } catch (error) {
      caught = error;
    }
    expect(ReprokitError.isInstance(caught) && caught.code).toBe('CLI_BAD_OPTION');
    expect((caught as Error).message).toContain('--max-shard-size');
  });
});

describe('formatByteSize', () => {
  it('uses binary units with one decimal', () => {
    expect(formatByteSize(32)).toBe('32 B');
    expect(formatByteSize(1536)).toBe('1.5 KiB');
    expect(formatByteSize(10 * 1024 ** 3)).toBe('10.0 GiB');
  });
});

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and rules off the header', () => {
    expect(
      renderTable(
        [
          ['name', 'bytes'],
          ['w', '24'],
          ['bias', '8'],
        ],
        { alignRight: [1] },
      ),
    ).toBe('name  bytes\n----  -----\nw        24\nbias      8\n');
  });
});
