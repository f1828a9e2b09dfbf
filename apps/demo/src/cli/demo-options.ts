import { DemoError } from './demo-error.js';

/** What the demo's command line asks for. */
export interface DemoOptions {
  /** Root seed of every run (step 1 also trains with `seed + 1` to show it differs). */
  readonly seed: number;
  /** Epochs of the MLP runs (steps 1 and 4); at least 2, so that step 4 can stop halfway. */
  readonly epochs: number;
  /** Smaller data and fewer epochs, for CI. */
  readonly fast: boolean;
  /** Where to write the machine-readable report, if anywhere. */
  readonly json: string | undefined;
  /** Print the usage and exit. */
  readonly help: boolean;
}

export const DEMO_USAGE = `Usage: pnpm demo [--seed <n>] [--epochs <n>] [--json <file>] [--fast]

  --seed <n>     root seed, an integer from 1 to 4294967294 (default 42)
  --epochs <n>   epochs of the MLP runs, from 2 to 50 (default 3, or 2 with --fast)
  --json <file>  also write the report as JSON to <file>
  --fast         smaller subsets and fewer epochs (what CI runs)
  --help         show this text
`;

const MAX_SEED = 0xffff_fffe;

/**
 * Parse the demo's flags (`--seed 7`, `--seed=7`, `--epochs`, `--json`, `--fast`, `--help`).
 * Unknown flags and bad values throw `DemoError` `DEMO_INVALID_OPTION` naming the flag; a
 * lone `--` (which some runners insert before forwarded arguments) is skipped.
 *
 * @example
 * parseDemoOptions(['--fast', '--seed', '7']); // { seed: 7, epochs: 2, fast: true, ... }
 */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  let seed = 42;
  let epochs: number | undefined;
  let fast = false;
  let json: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') continue;
    const equals = argument.indexOf('=');
    const flag = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    const inline = flag === argument ? undefined : argument.slice(equals + 1);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) {
        throw invalid(`${flag} needs a value`);
      }
      index++;
      return next;
    };
    switch (flag) {
      case '--seed':
        seed = integer(flag, value(), 1, MAX_SEED);
        break;
      case '--epochs':
        epochs = integer(flag, value(), 2, 50);
        break;
      case '--json':
        json = value();
        if (json.length === 0) throw invalid('--json needs a file path');
        break;
      case '--fast':
      case '--help':
        if (inline !== undefined) throw invalid(`${flag} takes no value`);
        if (flag === '--fast') fast = true;
        else help = true;
        break;
      default:
        throw invalid(`unknown argument "${argument}"`);
    }
  }
  return { seed, epochs: epochs ?? (fast ? 2 : 3), fast, json, help };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw invalid(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return parsed;
}

function invalid(message: string): DemoError {
  return new DemoError({ code: 'DEMO_INVALID_OPTION', message: `${message}\n\n${DEMO_USAGE}` });
}
