import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnyCheckpointStore, type CheckpointFiles, isHttpUrl, urlFiles } from '@reprokit/core';
import { folderFiles } from '@reprokit/core/node';
import { CliError } from '../errors/cli-error.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { detectInputStore } from './cli-stores.js';
import type { WeightsFormat } from './weights-format.js';

/** An input opened for reading: its files, its format and the store that reads it. */
export interface OpenedInput {
  readonly format: WeightsFormat;
  readonly store: AnyCheckpointStore;
  readonly files: CheckpointFiles;
  /** The path or URL the user gave (a tfjs folder: its `model.json`). */
  readonly label: string;
  readonly remote: boolean;
  close(): Promise<void>;
}

/**
 * Open an input, local or remote: a file, a tfjs model folder (its `model.json`), or an
 * `http(s)://` URL, read by byte ranges (only headers for `inspect`); the files it names are
 * opened beside it. The format is told from the content (`detectInputStore`). Remote reads
 * advance `progress` by the bytes received.
 *
 * @example
 * const input = await openInput('https://host/model.safetensors.index.json', progress);
 */
export async function openInput(path: string, progress: ProgressReporter): Promise<OpenedInput> {
  if (isHttpUrl(path)) {
    const files = await urlFiles(path, {
      onProgress: (update) => progress.advance(update.chunkBytes),
    });
    return opened(files, path, true, () => files.close());
  }
  // A missing path is the file system's own ENOENT, printed as "no such file or directory".
  const info = await stat(path);
  let entry = path;
  if (info.isDirectory()) {
    entry = join(path, 'model.json');
    if ((await stat(entry).catch(() => undefined))?.isFile() !== true) {
      throw new CliError({
        code: 'CLI_UNKNOWN_FORMAT',
        file: path,
        message: 'folder has no model.json; pass a weights file or a tfjs model folder',
      });
    }
  }
  const files = await folderFiles(entry);
  return opened(files, entry, false, () => files.close());
}

async function opened(
  files: CheckpointFiles,
  label: string,
  remote: boolean,
  close: () => Promise<void>,
): Promise<OpenedInput> {
  try {
    const store = await detectInputStore(files.entry);
    return { format: store.format as WeightsFormat, store, files, label, remote, close };
  } catch (error) {
    await close();
    throw error;
  }
}
