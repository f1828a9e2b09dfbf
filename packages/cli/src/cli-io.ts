/**
 * Where the CLI writes and what it knows about its terminal. `runCli` takes one so that
 * tests can run commands in-process and read what they printed.
 */
export interface CliIo {
  /** Results: tables, JSON documents, fingerprints. */
  writeOut(text: string): void;
  /** Notes, progress and errors. */
  writeErr(text: string): void;
  /** True when stderr is a terminal: only then is a progress bar drawn. */
  readonly stderrIsTty: boolean;
  /** The stream a progress bar is drawn on; without one no bar is drawn. */
  readonly progressStream?: NodeJS.WritableStream | undefined;
}

/**
 * The process's own stdout and stderr, as the `reprokit` binary uses them.
 *
 * @example
 * const code = await runCli(process.argv.slice(2), processIo());
 */
export function processIo(): CliIo {
  return {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    progressStream: process.stderr,
  };
}

/** An io that keeps everything in strings, for tests and for embedding the CLI. */
export interface BufferedIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

/**
 * Make a `CliIo` that records output instead of printing it.
 *
 * @example
 * const io = bufferedIo();
 * await runCli(['fingerprint', 'model.safetensors'], io);
 * console.log(io.out.join(''));
 */
export function bufferedIo(options: { stderrIsTty?: boolean } = {}): BufferedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    writeOut: (text) => out.push(text),
    writeErr: (text) => err.push(text),
    stderrIsTty: options.stderrIsTty ?? false,
  };
}
