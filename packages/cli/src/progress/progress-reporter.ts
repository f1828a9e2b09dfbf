import cliProgress from 'cli-progress';

/** Reports how far a long operation got. The CLI passes one to each command. */
export interface ProgressReporter {
  /** Begin a phase of `total` steps, e.g. `('read', tensorCount)`. Ends the previous phase. */
  phase(label: string, total: number): void;
  /** Advance the current phase by `steps` (default 1). */
  advance(steps?: number): void;
  /** Erase the bar, if one is drawn. Safe to call more than once. */
  finish(): void;
}

/** A reporter that draws nothing: for `--quiet`, pipes and in-process use. */
export const silentProgress: ProgressReporter = {
  phase() {},
  advance() {},
  finish() {},
};

export interface TerminalProgressOptions {
  /** Where the bar is drawn; a TTY stream. */
  stream: NodeJS.WritableStream;
  /** The bar appears only once this much time has passed since the first phase began. */
  delayMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/**
 * A progress bar on a terminal that stays hidden for short work: nothing is drawn until
 * `delayMs` (default 1000) has passed, so quick commands print no bar at all and their
 * stderr holds only what matters. Uses cli-progress for drawing.
 *
 * @example
 * const progress = terminalProgress({ stream: process.stderr });
 * progress.phase('read', names.length);
 * for (const name of names) { await readOne(name); progress.advance(); }
 * progress.finish();
 */
export function terminalProgress(options: TerminalProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const delayMs = options.delayMs ?? 1000;
  let startedAt: number | undefined;
  let bar: cliProgress.SingleBar | undefined;
  let label = '';
  let total = 0;
  let value = 0;

  const draw = (): void => {
    if (bar === undefined) {
      if (startedAt === undefined || now() - startedAt < delayMs) return;
      bar = new cliProgress.SingleBar(
        {
          stream: options.stream,
          format: '{phase} [{bar}] {value}/{total}',
          clearOnComplete: true,
          hideCursor: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, value, { phase: label });
      return;
    }
    bar.setTotal(total);
    bar.update(value, { phase: label });
  };

  return {
    phase(nextLabel, nextTotal) {
      startedAt ??= now();
      label = nextLabel;
      total = nextTotal;
      value = 0;
      draw();
    },
    advance(steps = 1) {
      value = Math.min(total, value + steps);
      draw();
    },
    finish() {
      bar?.stop();
      bar = undefined;
      startedAt = undefined;
    },
  };
}
