import type { CliIo } from '../cli-io.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';

/** What every command gets from `runCli`. */
export interface CommandContext {
  readonly io: CliIo;
  readonly progress: ProgressReporter;
  /** `--quiet`: no notes on stderr (errors are always printed). */
  readonly quiet: boolean;
  /**
   * The file being worked on, named in an error line when the error itself names none.
   * Commands update it as they move from one input to the next.
   */
  currentFile: string | undefined;
}

/** Print a note on stderr unless `--quiet`. */
export function note(context: CommandContext, text: string): void {
  if (!context.quiet) context.io.writeErr(text);
}
