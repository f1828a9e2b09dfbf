import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type CliIo, processIo } from './cli-io.js';
import type { CommandContext } from './commands/command-context.js';
import { convertCommand } from './commands/convert-command.js';
import { diffCommand } from './commands/diff-command.js';
import { fingerprintCommand } from './commands/fingerprint-command.js';
import { inspectCommand } from './commands/inspect-command.js';
import { formatErrorLine } from './errors/format-error-line.js';
import { ExitCode } from './exit-code.js';
import {
  type ProgressReporter,
  silentProgress,
  terminalProgress,
} from './progress/progress-reporter.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

interface GlobalOptions {
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * Run the `reprokit` command with `argv` (the arguments after the program name) and
 * return the exit code instead of exiting, so the CLI can be driven in-process.
 * Output goes to `io` (the process's stdout and stderr by default). Never throws:
 * every error becomes one line on stderr and exit code 2.
 *
 * @example
 * const code = await runCli(['diff', 'a.safetensors', 'b/model.json', '--atol', '1e-6']);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = ExitCode.OK;
  let context: CommandContext | undefined;
  let verbose = false;

  const program = new Command('reprokit')
    .description(
      'Inspect, convert, diff and fingerprint model weights in safetensors, TensorFlow.js, ONNX and Keras formats, from files or http(s) URLs.',
    )
    .version(version, '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress bar and no notes on stderr (errors are still printed)')
    .option('--verbose', 'print the stack trace with errors')
    .helpOption('-h, --help', 'show help')
    .addHelpText(
      'after',
      "\nExit codes: 0 success (diff: equal), 1 diff: different, 2 error.\nRun `reprokit <command> --help` for a command's options.",
    )
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.writeOut(text),
      writeErr: (text) => io.writeErr(text),
      outputError: (text, write) => write(`reprokit: ${text.replace(/^error: /, '')}`),
    });

  const makeContext = (command: Command): CommandContext => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    verbose = globals.verbose === true;
    const quiet = globals.quiet === true;
    context = { io, progress: makeProgress(io, quiet), quiet, currentFile: undefined };
    return context;
  };

  program
    .command('inspect')
    .description('list the tensors, totals and metadata of a weights file, from its headers only')
    .argument(
      '<file>',
      'a file or an http(s) URL: .safetensors, *.safetensors.index.json, model.json (or its folder), a weights-manifest .json, .onnx, .h5, .weights.h5, .keras; the format is told from the content',
    )
    .option('--json', 'print one JSON document instead of a table')
    .option('--fingerprint', 'also read and hash the data (inspect reads only headers otherwise)')
    .action(
      async (
        file: string,
        options: { json?: boolean; fingerprint?: boolean },
        command: Command,
      ) => {
        await inspectCommand(file, options, makeContext(command));
      },
    );

  program
    .command('convert')
    .description('convert weights between safetensors, TensorFlow.js artifacts, ONNX and Keras')
    .argument('<in>', 'input weights: a file or URL in any format inspect reads')
    .argument(
      '<out>',
      'output: .safetensors, *.safetensors.index.json, model.json or a folder (tfjs), .onnx, .h5 (Keras 2 save_weights), .weights.h5 (Keras 3), .keras',
    )
    .option(
      '--max-shard-size <size>',
      'shard size for *.safetensors.index.json and tfjs outputs (e.g. 500MB, 2GB)',
    )
    .option(
      '--template <model>',
      'model receiving the weights: .onnx for ONNX outputs (not needed when the input is ONNX or tfjs weights with a topology); a tfjs model.json with topology for tfjs outputs (optional)',
    )
    .option(
      '--external',
      'ONNX output: store the weights as external data in a .safetensors file beside the model',
    )
    .option(
      '--mapping <preset>',
      'rename and re-layout weights with a preset: onnx-to-keras (ONNX input, tfjs output, --template model.json)',
    )
    .addOption(
      new Option('--no-cast', 'refuse instead of converting dtypes the target cannot hold'),
    )
    .action(async (input: string, output: string, options: ConvertCliOptions, command: Command) => {
      await convertCommand(input, output, options, makeContext(command));
    });

  program
    .command('diff')
    .description('compare two weight files tensor by tensor, across formats')
    .argument('<a>', 'first weights file or URL')
    .argument('<b>', 'second weights file or URL')
    .option(
      '--atol <x>',
      'absolute tolerance (default: bitwise comparison)',
      parseTolerance('--atol'),
    )
    .option(
      '--rtol <y>',
      'relative tolerance (default: bitwise comparison)',
      parseTolerance('--rtol'),
    )
    .option('--json', 'print one JSON document instead of a table')
    .action(
      async (
        a: string,
        b: string,
        options: { atol?: number; rtol?: number; json?: boolean },
        command: Command,
      ) => {
        const report = await diffCommand(a, b, options, makeContext(command));
        exitCode = report.equal ? ExitCode.OK : ExitCode.DIFFERENT;
      },
    );

  program
    .command('fingerprint')
    .description('print the fingerprint of the weights (the same in every format)')
    .argument('<file>', 'weights file or URL')
    .action(async (file: string, _options: unknown, command: Command) => {
      await fingerprintCommand(file, makeContext(command));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    context?.progress.finish();
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.ERROR;
    }
    io.writeErr(formatErrorLine(error, { fallbackFile: context?.currentFile, verbose }));
    return ExitCode.ERROR;
  }
}

export interface ConvertCliOptions {
  maxShardSize?: string;
  template?: string;
  external?: boolean;
  mapping?: string;
  cast: boolean;
}

function makeProgress(io: CliIo, quiet: boolean): ProgressReporter {
  if (quiet || !io.stderrIsTty || io.progressStream === undefined) return silentProgress;
  return terminalProgress({ stream: io.progressStream });
}

function parseTolerance(option: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${option} must be a number >= 0.`);
    }
    return value;
  };
}
