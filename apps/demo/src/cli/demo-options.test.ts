import { describe, expect, it } from 'vitest';
import { DemoError } from './demo-error.js';
import { parseDemoOptions } from './demo-options.js';

describe('parseDemoOptions', () => {
  it('defaults to seed 42 and 3 epochs, 2 with --fast', () => {
    expect(parseDemoOptions([])).toEqual({
      seed: 42,
      epochs: 3,
      fast: false,
      json: undefined,
      help: false,
    });
    expect(parseDemoOptions(['--fast'])).toMatchObject({ epochs: 2, fast: true });
  });

  it('reads values after the flag or after "=", and skips a lone "--"', () => {
    expect(
      parseDemoOptions(['--', '--seed', '7', '--epochs=4', '--json', 'out/report.json']),
    ).toEqual({ seed: 7, epochs: 4, fast: false, json: 'out/report.json', help: false });
    expect(parseDemoOptions(['--fast', '--epochs', '5']).epochs).toBe(5);
  });

  it.each([
    [['--seed', '0'], '--seed must be an integer from 1 to 4294967294, got "0"'],
    [['--seed', '4294967295'], '--seed must be an integer'],
    [['--seed', '1.5'], '--seed must be an integer'],
    [['--epochs', '1'], '--epochs must be an integer from 2 to 50, got "1"'],
    [['--seed'], '--seed needs a value'],
    [['--json', '--fast'], '--json needs a value'],
    [['--json='], '--json needs a file path'],
    [['--fast=yes'], '--fast takes no value'],
    [['--turbo'], 'unknown argument "--turbo"'],
  ])('refuses %j with a DEMO_INVALID_OPTION naming the problem', (argv, message) => {
    let caught: unknown;
    try {
      parseDemoOptions(argv);
    } catch (error) {
      caught = error;
    }
    expect(DemoError.isInstance(caught)).toBe(true);
    expect((caught as DemoError).code).toBe('DEMO_INVALID_OPTION');
    expect((caught as DemoError).message).toContain(message);
    expect((caught as DemoError).message).toContain('Usage: pnpm demo');
  });
});
