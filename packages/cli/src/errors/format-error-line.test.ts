import { ReprokitError } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { formatErrorLine } from './format-error-line.js';

describe('formatErrorLine', () => {
  it('puts the error file first and keeps the tensor and byte offset', () => {
    const error = new ReprokitError({
      code: 'SAFETENSORS_BAD_OFFSETS',
      origin: 'safetensors',
      message: 'offsets overlap',
      file: 'model.safetensors',
      tensor: 'dense/kernel',
      byteOffset: 120,
    });
    expect(formatErrorLine(error, { fallbackFile: 'other.safetensors' })).toBe(
      'reprokit: model.safetensors: offsets overlap (tensor "dense/kernel", byte 120)\n',
    );
  });

  it('uses the argument being processed when the error names no file', () => {
    const error = new CliError({
      code: 'CLI_UNKNOWN_MAPPING',
      message: 'unknown mapping preset "x"',
    });
    expect(formatErrorLine(error, { fallbackFile: 'in.onnx' })).toBe(
      'reprokit: in.onnx: unknown mapping preset "x"\n',
    );
  });

  it('joins a multi-line message into one line', () => {
    const error = new ReprokitError({
      code: 'CHECKPOINT_MISMATCH',
      origin: 'onnxruntime',
      message: 'checkpoint does not fit model.onnx: 2 problem(s):\n  missing "a"\n  unexpected "b"',
    });
    const line = formatErrorLine(error, { fallbackFile: 'out.onnx' });
    expect(line).toBe(
      'reprokit: out.onnx: checkpoint does not fit model.onnx: 2 problem(s): missing "a"; unexpected "b"\n',
    );
    expect(line.split('\n')).toHaveLength(2);
  });

  it('describes file system errors by their code and path', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), {
      code: 'ENOENT',
      path: 'x.safetensors',
    });
    expect(formatErrorLine(error)).toBe('reprokit: x.safetensors: no such file or directory\n');
  });

  it('appends the stack only when verbose', () => {
    const error = new Error('boom');
    expect(formatErrorLine(error, { fallbackFile: 'f' })).toBe('reprokit: f: boom\n');
    const verbose = formatErrorLine(error, { fallbackFile: 'f', verbose: true });
    expect(verbose.startsWith('reprokit: f: boom\nError: boom\n    at ')).toBe(true);
  });
});
